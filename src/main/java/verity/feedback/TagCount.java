package verity.feedback;

/** How often a tag appears on one model's feedback. */
public record TagCount(String modelId, String tag, long count) {}
