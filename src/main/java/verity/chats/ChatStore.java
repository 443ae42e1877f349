package verity.chats;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import verity.db.Database;
import verity.http.RawJson.Slice;
import verity.http.RawObject;

/**
 * SQL for chats, their tags and their shared snapshots. A chat's content is one {@code chat_fields} row per
 * top-level key (its raw JSON value as UTF-8), so a shallow merge writes only the keys it is given.
 */
final class ChatStore {
    private static final String SUMMARY = "c.id, c.user_id, c.title, c.updated_at, c.created_at, c.share_id, "
            + "c.archived, c.pinned, c.folder_id";
    /** More keys than this left out of an update are read with all the others rather than listed by name. */
    private static final int MAX_LISTED_NAMES = 500;

    private final Database db;
    private final String utf8;
    private final String insertField;

    ChatStore(Database db) {
        this.db = db;
        this.utf8 = Database.utf8Text(db.isPostgres());
        this.insertField = "INSERT INTO chat_fields (chat_id, name, position, value) VALUES (?, ?, ?, " + utf8 + ")";
    }

    private static ChatSummary summary(ResultSet rs) throws SQLException {
        return new ChatSummary(rs.getString("id"), rs.getString("user_id"), rs.getString("title"),
                rs.getLong("updated_at"), rs.getLong("created_at"), rs.getString("share_id"),
                rs.getBoolean("archived"), rs.getBoolean("pinned"), rs.getString("folder_id"));
    }

    private static Map.Entry<String, Slice> field(ResultSet rs) throws SQLException {
        return Map.entry(rs.getString(1), Slice.of(rs.getBytes(2)));
    }

    void insert(ChatSummary c, RawObject content) {
        db.inTransaction(() -> {
            db.update("""
                    INSERT INTO chats (id, user_id, title, share_id, archived, pinned, folder_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    c.id(), c.userId(), c.title(), c.shareId(), c.archived(), c.pinned(), c.folderId(),
                    c.createdAt(), c.updatedAt());
            List<Object[]> rows = new ArrayList<>();
            for (Map.Entry<String, Slice> field : content.fields().entrySet()) {
                rows.add(new Object[] {c.id(), field.getKey(), rows.size(), field.getValue().toArray()});
            }
            db.batch(insertField, rows);
            return null;
        });
    }

    Optional<ChatSummary> find(String id) {
        return db.one("SELECT " + SUMMARY + " FROM chats c WHERE c.id = ?", ChatStore::summary, id);
    }

    /** The chat's content, keys in their order. */
    RawObject content(String id) {
        Map<String, Slice> fields = new LinkedHashMap<>();
        db.query("SELECT name, value FROM chat_fields WHERE chat_id = ? ORDER BY position", ChatStore::field, id)
                .forEach(f -> fields.put(f.getKey(), f.getValue()));
        return RawObject.of(fields);
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

    /** Every chat of a user with its content, newest first. */
    List<Chat> listFull(String userId, Function<String, List<String>> tagIds) {
        Map<String, Map<String, Slice>> contents = new HashMap<>();
        db.forEach("SELECT f.chat_id, f.name, f.value FROM chat_fields f JOIN chats c ON c.id = f.chat_id "
                        + "WHERE c.user_id = ? ORDER BY f.chat_id, f.position",
                rs -> contents.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                        .put(rs.getString(2), Slice.of(rs.getBytes(3))), userId);
        return db.query("SELECT " + SUMMARY + " FROM chats c WHERE c.user_id = ? ORDER BY c.updated_at DESC, c.id",
                ChatStore::summary, userId).stream()
                .map(s -> Chat.of(s, RawObject.of(contents.getOrDefault(s.id(), Map.of())), tagIds.apply(s.id())))
                .toList();
    }

    /** Title or content (any value) containing every word, carrying every tag; archived chats only when asked. */
    List<ChatSummary> search(String userId, List<String> words, List<String> tagIds, boolean archived, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY + " FROM chats c WHERE c.user_id = ? AND c.archived = ?");
        List<Object> params = new ArrayList<>(List.of(userId, archived));
        for (String word : words) {
            sql.append(" AND (LOWER(c.title) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM chat_fields f "
                    + "WHERE f.chat_id = c.id AND LOWER(f.value) LIKE ? ESCAPE '\\'))");
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

    /** Sets updated_at, and the title unless it is null, of the owner's chat; false when they have no such chat. */
    boolean touch(String id, String userId, String title, long now) {
        return db.update("UPDATE chats SET title = COALESCE(CAST(? AS TEXT), title), updated_at = ? WHERE id = ? AND user_id = ?",
                title, now, id, userId) > 0;
    }

    /**
     * Shallow merge inside the caller's transaction: writes the given keys (stored keys keep their position, new
     * ones are appended in the given order) and returns the merged content, reading only the keys not given.
     */
    RawObject merge(String id, Map<String, Slice> given) {
        Map<String, Integer> positions = new HashMap<>();
        db.query("SELECT name, position FROM chat_fields WHERE chat_id = ?", rs -> Map.entry(rs.getString(1), rs.getInt(2)), id)
                .forEach(p -> positions.put(p.getKey(), p.getValue()));
        int next = positions.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        List<Object[]> updates = new ArrayList<>();
        List<Object[]> inserts = new ArrayList<>();
        for (Map.Entry<String, Slice> field : given.entrySet()) {
            byte[] value = field.getValue().toArray();
            if (positions.containsKey(field.getKey())) {
                updates.add(new Object[] {value, id, field.getKey()});
            } else {
                positions.put(field.getKey(), next);
                inserts.add(new Object[] {id, field.getKey(), next++, value});
            }
        }
        db.batch("UPDATE chat_fields SET value = " + utf8 + " WHERE chat_id = ? AND name = ?", updates);
        db.batch(insertField, inserts);

        Set<String> kept = new HashSet<>(positions.keySet());
        kept.removeAll(given.keySet());
        Map<String, Slice> stored = kept.isEmpty() ? Map.of() : values(id, kept);
        List<String> order = new ArrayList<>(positions.keySet());
        order.sort((a, b) -> Integer.compare(positions.get(a), positions.get(b)));
        Map<String, Slice> merged = new LinkedHashMap<>();
        for (String name : order) {
            merged.put(name, given.containsKey(name) ? given.get(name) : stored.get(name));
        }
        return RawObject.of(merged);
    }

    private Map<String, Slice> values(String id, Set<String> names) {
        StringBuilder sql = new StringBuilder("SELECT name, value FROM chat_fields WHERE chat_id = ?");
        List<Object> params = new ArrayList<>(List.of(id));
        if (names.size() <= MAX_LISTED_NAMES) {
            sql.append(" AND name IN (").append(String.join(", ", Collections.nCopies(names.size(), "?"))).append(')');
            params.addAll(names);
        }
        Map<String, Slice> values = new HashMap<>();
        db.query(sql.toString(), ChatStore::field, params.toArray()).stream()
                .filter(f -> names.contains(f.getKey()))
                .forEach(f -> values.put(f.getKey(), f.getValue()));
        return values;
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

    /** Creates or refreshes the shared snapshot (one JSON text) of a chat; returns its share id. */
    String share(Chat c, String newShareId, long now) {
        byte[] chat = c.chat().toBytes();
        Optional<String> existing = db.one("SELECT id FROM shared_chats WHERE chat_id = ?", rs -> rs.getString(1), c.id());
        if (existing.isPresent()) {
            db.update("UPDATE shared_chats SET title = ?, chat = " + utf8 + ", updated_at = ? WHERE id = ?",
                    c.title(), chat, now, existing.get());
            return existing.get();
        }
        db.update("INSERT INTO shared_chats (id, chat_id, user_id, title, chat, created_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, " + utf8 + ", ?, ?)",
                newShareId, c.id(), c.userId(), c.title(), chat, now, now);
        return newShareId;
    }

    boolean unshare(String chatId) {
        return db.update("DELETE FROM shared_chats WHERE chat_id = ?", chatId) > 0;
    }

    Optional<Chat> shared(String shareId) {
        return db.one("SELECT s.id, s.user_id, s.title, s.chat, s.updated_at, s.created_at, s.id AS share_id, "
                        + "FALSE AS archived, FALSE AS pinned, NULL AS folder_id FROM shared_chats s WHERE s.id = ?",
                rs -> Chat.of(summary(rs), RawObject.ofText(rs.getBytes("chat")), List.of()), shareId);
    }
}
