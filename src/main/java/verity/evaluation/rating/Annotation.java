package verity.evaluation.rating;

import java.util.Objects;

/** One annotator's categorical label for one item (input to {@link Agreement}). */
public record Annotation(String itemId, String annotatorId, String label) {
    public Annotation {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(annotatorId, "annotatorId");
        Objects.requireNonNull(label, "label");
    }
}
