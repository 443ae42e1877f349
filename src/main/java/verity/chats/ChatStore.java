package verity.chats;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import verity.db.Database;

/** SQL for chats, their tags and their shared snapshots. */
final class ChatStore {
    private static final String SUMMARY = "c.id, c.user_id, c.title, c.updated_at, c.created_at, c.share_id, "
            + "c.archived, c.pinned, c.folder_id";

    private final Database db;

    ChatStore(Database db) {
        this.db = db;
    }

    private static ChatSummary summary(ResultSet rs) throws SQLException {
        return new ChatSummary(rs.getString("id"), rs.getString("user_id"), rs.getString("title"),
                rs.getLong("updated_at"), rs.getLong("created_at"), rs.getString("share_id"),
                rs.getBoolean("archived"), rs.getBoolean("pinned"), rs.getString("folder_id"));
    }

    private static Chat chat(ResultSet rs) throws SQLException {
        return new Chat(rs.getString("id"), rs.getString("user_id"), rs.getString("title"), rs.getString("chat"),
                rs.getLong("updated_at"), rs.getLong("created_at"), rs.getString("share_id"),
                rs.getBoolean("archived"), rs.getBoolean("pinned"), Map.of("tags", List.of()), rs.getString("folder_id"));
    }

    void insert(Chat c) {
        db.update("""
                INSERT INTO chats (id, user_id, title, chat, share_id, archived, pinned, folder_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                c.id(), c.userId(), c.title(), c.chat(), c.shareId(), c.archived(), c.pinned(), c.folderId(),
                c.createdAt(), c.updatedAt());
    }

    Optional<Chat> find(String id) {
        return db.one("SELECT " + SUMMARY + ", c.chat FROM chats c WHERE c.id = ?", ChatStore::chat, id);
    }

    /** Chats of a user, newest first; {@code pinned} null means pinned or not. */
    List<ChatSummary> list(String userId, boolean archived, Boolean pinned, int limit, int offset) {
        String pinnedFilter = pinned == null ? "" : " AND c.pinned = ?";
        List<Object> params = new ArrayList<>(List.of(userId, archived));
        if (pinned != null) {
            params.add(pinned);
        }
        params.add(limit);
        params.add(offset);
        return db.query("SELECT " + SUMMARY + " FROM chats c WHERE c.user_id = ? AND c.archived = ?" + pinnedFilter
                + " ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?", ChatStore::summary, params.toArray());
    }

    List<Chat> listFull(String userId) {
        return db.query("SELECT " + SUMMARY + ", c.chat FROM chats c WHERE c.user_id = ? ORDER BY c.updated_at DESC, c.id",
                ChatStore::chat, userId);
    }

    /** Title or content containing every word, carrying every tag; archived chats only when asked. */
    List<ChatSummary> search(String userId, List<String> words, List<String> tagIds, boolean archived, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY + " FROM chats c WHERE c.user_id = ? AND c.archived = ?");
        List<Object> params = new ArrayList<>(List.of(userId, archived));
        for (String word : words) {
            sql.append(" AND (LOWER(c.title) LIKE ? ESCAPE '\\' OR LOWER(c.chat) LIKE ? ESCAPE '\\')");
            String like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            params.add(like);
            params.add(like);
        }
        for (String tag : tagIds) {
            sql.append(" AND EXISTS (SELECT 1 FROM chat_tags t WHERE t.chat_id = c.id AND t.tag_id = ?)");
            params.add(tag);
        }
        sql.append(" ORDER BY c.updated_at DESC, c.id LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        return db.query(sql.toString(), ChatStore::summary, params.toArray());
    }

    void updateChat(String id, String title, String chat, long now) {
        db.update("UPDATE chats SET title = ?, chat = ?, updated_at = ? WHERE id = ?", title, chat, now, id);
    }

    void setPinned(String id, boolean pinned, long now) {
        db.update("UPDATE chats SET pinned = ?, updated_at = ? WHERE id = ?", pinned, now, id);
    }

    void setArchived(String id, boolean archived, long now) {
        db.update("UPDATE chats SET archived = ?, updated_at = ? WHERE id = ?", archived, now, id);
    }

    void setShareId(String id, String shareId) {
        db.update("UPDATE chats SET share_id = ? WHERE id = ?", shareId, id);
    }

    boolean delete(String id) {
        return db.update("DELETE FROM chats WHERE id = ?", id) > 0;
    }

    int deleteAll(String userId) {
        return db.update("DELETE FROM chats WHERE user_id = ?", userId);
    }

    List<Tag> tags(String chatId) {
        return db.query("SELECT tag_id, name, user_id FROM chat_tags WHERE chat_id = ? ORDER BY created_at, tag_id",
                rs -> new Tag(rs.getString(1), rs.getString(2), rs.getString(3), Map.of()), chatId);
    }

    List<Tag> allTags(String userId) {
        return db.query("SELECT tag_id, MIN(name) AS name FROM chat_tags WHERE user_id = ? GROUP BY tag_id ORDER BY tag_id",
                rs -> new Tag(rs.getString(1), rs.getString(2), userId, Map.of()), userId);
    }

    void addTag(String chatId, Tag tag, long now) {
        db.update("INSERT INTO chat_tags (chat_id, tag_id, name, user_id, created_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (chat_id, tag_id) DO NOTHING", chatId, tag.id(), tag.name(), tag.userId(), now);
    }

    void removeTag(String chatId, String tagId) {
        db.update("DELETE FROM chat_tags WHERE chat_id = ? AND tag_id = ?", chatId, tagId);
    }

    /** Creates or refreshes the shared snapshot of a chat; returns its share id. */
    String share(Chat c, String newShareId, long now) {
        Optional<String> existing = db.one("SELECT id FROM shared_chats WHERE chat_id = ?", rs -> rs.getString(1), c.id());
        if (existing.isPresent()) {
            db.update("UPDATE shared_chats SET title = ?, chat = ?, updated_at = ? WHERE id = ?",
                    c.title(), c.chat(), now, existing.get());
            return existing.get();
        }
        db.update("INSERT INTO shared_chats (id, chat_id, user_id, title, chat, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                newShareId, c.id(), c.userId(), c.title(), c.chat(), now, now);
        return newShareId;
    }

    boolean unshare(String chatId) {
        return db.update("DELETE FROM shared_chats WHERE chat_id = ?", chatId) > 0;
    }

    Optional<Chat> shared(String shareId) {
        return db.one("SELECT s.id, s.user_id, s.title, s.chat, s.updated_at, s.created_at, s.id AS share_id, "
                        + "FALSE AS archived, FALSE AS pinned, NULL AS folder_id FROM shared_chats s WHERE s.id = ?",
                ChatStore::chat, shareId);
    }
}
