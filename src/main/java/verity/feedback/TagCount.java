package verity.feedback;

/** How often a tag appears on one model's feedback, and when it first did. */
public record TagCount(String modelId, String tag, long count, long firstSeen) {}
