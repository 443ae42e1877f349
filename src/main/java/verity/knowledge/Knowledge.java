package verity.knowledge;

/** A knowledge row. */
public record Knowledge(String id, String userId, String name, String description, String meta, long createdAt, long updatedAt) {}
