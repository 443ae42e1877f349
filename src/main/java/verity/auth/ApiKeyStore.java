package verity.auth;

import java.util.List;
import java.util.Optional;
import verity.db.Database;
import verity.users.User;
import verity.users.UserStore;

/** SQL for API keys. Only the SHA-256 of a key is stored. */
public final class ApiKeyStore {
    /** A key as listed to its owner: never the key itself. */
    public record ApiKey(String id, String name, String prefix, long createdAt, Long lastUsedAt) {}

    record Owner(User user, String keyId, Long lastUsedAt) {}

    private final Database db;

    public ApiKeyStore(Database db) {
        this.db = db;
    }

    void insert(String id, String userId, String name, String keyHash, String prefix, long now) {
        db.update("INSERT INTO api_keys (id, user_id, name, key_hash, prefix, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, userId, name, keyHash, prefix, now);
    }

    List<ApiKey> list(String userId) {
        return db.query("SELECT id, name, prefix, created_at, last_used_at FROM api_keys WHERE user_id = ? "
                        + "ORDER BY created_at, id",
                rs -> new ApiKey(rs.getString("id"), rs.getString("name"), rs.getString("prefix"),
                        rs.getLong("created_at"), Database.nullableLong(rs, "last_used_at")),
                userId);
    }

    Optional<ApiKey> findByName(String userId, String name) {
        return list(userId).stream().filter(k -> k.name().equals(name)).findFirst();
    }

    /** The key's owner, in one read. */
    Optional<Owner> owner(String keyHash) {
        return db.one("SELECT " + UserStore.COLUMNS + ", k.id AS key_id, k.last_used_at AS key_used "
                        + "FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?",
                rs -> new Owner(UserStore.map(rs), rs.getString("key_id"), Database.nullableLong(rs, "key_used")),
                keyHash);
    }

    boolean delete(String userId, String id) {
        return db.update("DELETE FROM api_keys WHERE user_id = ? AND id = ?", userId, id) > 0;
    }

    void touch(String id, long now) {
        db.update("UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, id);
    }
}
