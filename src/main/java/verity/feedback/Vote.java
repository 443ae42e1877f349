package verity.feedback;

import java.util.List;

/** A feedback rated "1" or "-1" with its opponents (data.sibling_model_ids), for leaderboards. */
public record Vote(String feedbackId, String modelId, String rating, List<String> opponents, long createdAt) {
    public boolean won() {
        return "1".equals(rating);
    }
}
