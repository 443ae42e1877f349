package verity.files;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import verity.db.Database;

/** SQL for the files table. */
public final class FileStore {
    private static final String COLUMNS =
            "id, user_id, filename, storage_key, content_type, size, hash, status, error, meta, created_at, updated_at";
    private final Database db;

    public FileStore(Database db) {
        this.db = db;
    }

    public void insert(StoredFile f) {
        db.update("INSERT INTO files (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                f.id(), f.userId(), f.filename(), f.storageKey(), f.contentType(), f.size(), f.hash(), f.status(),
                f.error(), f.meta(), f.createdAt(), f.updatedAt());
    }

    public Optional<StoredFile> find(String id) {
        return db.one("SELECT " + COLUMNS + " FROM files WHERE id = ?", FileStore::map, id);
    }

    public List<StoredFile> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return db.query("SELECT " + COLUMNS + " FROM files WHERE id IN (" + marks + ") ORDER BY created_at, id",
                FileStore::map, ids.toArray());
    }

    /** Newest first; {@code limit} < 0 means all. */
    public List<StoredFile> byUser(String userId, int limit, long offset) {
        return db.query("SELECT " + COLUMNS + " FROM files WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                FileStore::map, userId, limit < 0 ? Long.MAX_VALUE : limit, offset);
    }

    /** Own files whose name matches a {@link verity.db.Like} pattern, newest first. */
    public List<StoredFile> byUserAndName(String userId, String like, int limit, long offset) {
        return db.query("SELECT " + COLUMNS + " FROM files WHERE user_id = ? AND LOWER(filename) LIKE ? ESCAPE '\\'"
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", FileStore::map, userId, like, limit, offset);
    }

    public long countByUser(String userId) {
        return db.count("SELECT COUNT(*) FROM files WHERE user_id = ?", userId);
    }

    public List<String> idsWithStatus(String status) {
        return db.query("SELECT id FROM files WHERE status = ? ORDER BY created_at", rs -> rs.getString(1), status);
    }

    public Optional<String> content(String id) {
        return db.one("SELECT content FROM files WHERE id = ?", rs -> rs.getString(1), id);
    }

    public void setStatus(String id, String status, String error, long now) {
        db.update("UPDATE files SET status = ?, error = ?, updated_at = ? WHERE id = ?", status, error, now, id);
    }

    /** Keeps the extracted text; the status is set separately once it is indexed. */
    public void setContent(String id, String content, long now) {
        db.update("UPDATE files SET content = ?, updated_at = ? WHERE id = ?", content, now, id);
    }

    /** Replaced text: new content and hash, back to pending until it is indexed again. */
    public boolean replaceContent(String id, String content, String hash, long now) {
        return db.update("UPDATE files SET content = ?, hash = ?, status = ?, error = NULL, updated_at = ? WHERE id = ?",
                content, hash, StoredFile.PENDING, now, id) == 1;
    }

    public boolean delete(String id) {
        return db.update("DELETE FROM files WHERE id = ?", id) == 1;
    }

    static StoredFile map(ResultSet rs) throws SQLException {
        return new StoredFile(rs.getString("id"), rs.getString("user_id"), rs.getString("filename"),
                rs.getString("storage_key"), rs.getString("content_type"), rs.getLong("size"), rs.getString("hash"),
                rs.getString("status"), rs.getString("error"), rs.getString("meta"), rs.getLong("created_at"),
                rs.getLong("updated_at"));
    }
}
