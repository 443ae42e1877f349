package verity.knowledge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import verity.db.Database;

/** SQL for knowledge collections and their files. */
final class KnowledgeStore {
    private static final String COLUMNS = "id, user_id, name, description, meta, created_at, updated_at";
    private final Database db;

    KnowledgeStore(Database db) {
        this.db = db;
    }

    void insert(Knowledge k) {
        db.update("INSERT INTO knowledge (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?)",
                k.id(), k.userId(), k.name(), k.description(), k.meta(), k.createdAt(), k.updatedAt());
    }

    Optional<Knowledge> find(String id) {
        return db.one("SELECT " + COLUMNS + " FROM knowledge WHERE id = ?", KnowledgeStore::map, id);
    }

    /** Most recently updated first; {@code limit} < 0 means all. */
    List<Knowledge> byUser(String userId, int limit, long offset) {
        return db.query("SELECT " + COLUMNS + " FROM knowledge WHERE user_id = ? ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                KnowledgeStore::map, userId, limit < 0 ? Long.MAX_VALUE : limit, offset);
    }

    long countByUser(String userId) {
        return db.count("SELECT COUNT(*) FROM knowledge WHERE user_id = ?", userId);
    }

    void update(String id, String name, String description, long now) {
        db.update("UPDATE knowledge SET name = ?, description = ?, updated_at = ? WHERE id = ?", name, description, now, id);
    }

    void touch(String id, long now) {
        db.update("UPDATE knowledge SET updated_at = ? WHERE id = ?", now, id);
    }

    void delete(String id) {
        db.update("DELETE FROM knowledge WHERE id = ?", id);
    }

    List<String> fileIds(String knowledgeId) {
        return db.query("SELECT file_id FROM knowledge_files WHERE knowledge_id = ? ORDER BY created_at, file_id",
                rs -> rs.getString(1), knowledgeId);
    }

    List<String> fileIds(List<String> knowledgeIds) {
        if (knowledgeIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", Collections.nCopies(knowledgeIds.size(), "?"));
        return db.query("SELECT DISTINCT file_id FROM knowledge_files WHERE knowledge_id IN (" + marks + ")",
                rs -> rs.getString(1), knowledgeIds.toArray());
    }

    boolean hasFileWithHash(String knowledgeId, String hash, String exceptFileId) {
        return db.count("SELECT COUNT(*) FROM knowledge_files kf JOIN files f ON f.id = kf.file_id"
                + " WHERE kf.knowledge_id = ? AND f.hash = ? AND f.id <> ?", knowledgeId, hash, exceptFileId) > 0;
    }

    private static final String FILES_NAMED = " FROM knowledge_files kf JOIN files f ON f.id = kf.file_id"
            + " WHERE kf.knowledge_id = ? AND LOWER(f.filename) LIKE ? ESCAPE '\\'";

    /** The collection's files whose name matches a {@link verity.db.Like} pattern, in the order they were added. */
    List<String> fileIds(String knowledgeId, String like, int limit, long offset) {
        return db.query("SELECT kf.file_id" + FILES_NAMED + " ORDER BY kf.created_at, kf.file_id LIMIT ? OFFSET ?",
                rs -> rs.getString(1), knowledgeId, like, limit, offset);
    }

    long countFiles(String knowledgeId, String like) {
        return db.count("SELECT COUNT(*)" + FILES_NAMED, knowledgeId, like);
    }

    boolean hasFile(String knowledgeId, String fileId) {
        return db.count("SELECT COUNT(*) FROM knowledge_files WHERE knowledge_id = ? AND file_id = ?", knowledgeId, fileId) > 0;
    }

    /** Adds the link; false when it was already there. */
    boolean addFile(String knowledgeId, String fileId, long now) {
        return db.inTransaction(() -> {
            if (hasFile(knowledgeId, fileId)) {
                return false;
            }
            db.update("INSERT INTO knowledge_files (knowledge_id, file_id, created_at) VALUES (?,?,?)", knowledgeId, fileId, now);
            return true;
        });
    }

    boolean removeFile(String knowledgeId, String fileId) {
        return db.update("DELETE FROM knowledge_files WHERE knowledge_id = ? AND file_id = ?", knowledgeId, fileId) == 1;
    }

    void removeAllFiles(String knowledgeId) {
        db.update("DELETE FROM knowledge_files WHERE knowledge_id = ?", knowledgeId);
    }

    private static Knowledge map(ResultSet rs) throws SQLException {
        return new Knowledge(rs.getString("id"), rs.getString("user_id"), rs.getString("name"), rs.getString("description"),
                rs.getString("meta"), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
