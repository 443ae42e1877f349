package verity.evaluation.rating;

import java.util.List;
import java.util.Objects;

/**
 * One pairwise human judgement. {@code judge} may be null (anonymous); {@code tags} is never null.
 * A model compared with itself carries no information and is rejected.
 */
public record Comparison(String modelA, String modelB, Outcome outcome, String judge, long createdAt,
        List<String> tags) {
    public Comparison {
        Objects.requireNonNull(modelA, "modelA");
        Objects.requireNonNull(modelB, "modelB");
        Objects.requireNonNull(outcome, "outcome");
        if (modelA.equals(modelB)) {
            throw new IllegalArgumentException("a model cannot be compared with itself: " + modelA);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** A comparison without judge, timestamp or tags (tests, synthetic data). */
    public static Comparison of(String modelA, String modelB, Outcome outcome) {
        return new Comparison(modelA, modelB, outcome, null, 0L, List.of());
    }
}
