package verity.chats;

/** A chat in a list: everything but the conversation itself. */
public record ChatSummary(String id, String userId, String title, long updatedAt, long createdAt,
                          String shareId, boolean archived, boolean pinned, String folderId) {}
