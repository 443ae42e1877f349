package verity.feedback;

/** A stored feedback with its JSON as text, for consumers that derive other records (comparisons, datasets). */
public record FeedbackRow(String id, String userId, String type, String data, String meta, String snapshot,
                          String requestId, long createdAt) {}
