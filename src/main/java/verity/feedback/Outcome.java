package verity.feedback;

/** One "1" (won) or "-1" (lost) rating of a model, by time. */
public record Outcome(long createdAt, boolean won) {}
