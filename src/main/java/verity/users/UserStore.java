package verity.users;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import verity.db.Database;
import verity.db.Like;

/** SQL for the users table. */
public final class UserStore {
    public static final String COLUMNS = "u.id, u.email, u.name, u.role, u.profile_image_url, u.last_active_at, "
            + "u.created_at, u.updated_at, u.is_primary";

    private final Database db;

    public UserStore(Database db) {
        this.db = db;
    }

    public static User map(ResultSet rs) throws SQLException {
        return new User(rs.getString("id"), rs.getString("email"), rs.getString("name"), rs.getString("role"),
                rs.getString("profile_image_url"), rs.getLong("last_active_at"), rs.getLong("created_at"),
                rs.getLong("updated_at"), rs.getBoolean("is_primary"));
    }

    /** An account together with its password hash, for sign-in. */
    public record WithHash(User user, String passwordHash) {}

    public void insert(User u, String passwordHash) {
        db.update("""
                INSERT INTO users (id, email, name, role, profile_image_url, password_hash, is_primary,
                                   last_active_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                u.id(), u.email(), u.name(), u.role(), u.profileImageUrl(), passwordHash, u.primary(),
                u.lastActiveAt(), u.createdAt(), u.updatedAt());
    }

    public long count() {
        return db.count("SELECT COUNT(*) FROM users");
    }

    public Optional<User> find(String id) {
        return db.one("SELECT " + COLUMNS + " FROM users u WHERE u.id = ?", UserStore::map, id);
    }

    public Optional<WithHash> findWithHash(String email) {
        return db.one("SELECT " + COLUMNS + ", u.password_hash FROM users u WHERE u.email = ?",
                rs -> new WithHash(map(rs), rs.getString("password_hash")), email);
    }

    public Optional<String> passwordHash(String id) {
        return db.one("SELECT password_hash FROM users WHERE id = ?", rs -> rs.getString(1), id);
    }

    public boolean emailTaken(String email, String exceptId) {
        return db.count("SELECT COUNT(*) FROM users WHERE email = ? AND id <> ?", email, exceptId) > 0;
    }

    private static final String MATCHING = " FROM users u WHERE LOWER(u.name) LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\'";

    /** One page of accounts whose name or email contains {@code query} (all when null), ordered by a whitelisted column. */
    public List<User> page(String query, UserQuery.Order order, boolean ascending, int limit, long offset) {
        String orderBy = " ORDER BY " + order.column + (ascending ? " ASC" : " DESC") + ", u.id ASC LIMIT ? OFFSET ?";
        if (query == null) {
            return db.query("SELECT " + COLUMNS + " FROM users u" + orderBy, UserStore::map, limit, offset);
        }
        String like = Like.contains(query);
        return db.query("SELECT " + COLUMNS + MATCHING + orderBy, UserStore::map, like, like, limit, offset);
    }

    public long countMatching(String query) {
        if (query == null) {
            return count();
        }
        String like = Like.contains(query);
        return db.count("SELECT COUNT(*)" + MATCHING, like, like);
    }

    public void update(User u) {
        db.inTransaction(() -> {
            boolean renamed = db.one("SELECT name FROM users WHERE id = ?", rs -> rs.getString(1), u.id())
                    .filter(name -> !name.equals(u.name())).isPresent();
            db.update("UPDATE users SET email = ?, name = ?, role = ?, profile_image_url = ?, updated_at = ? WHERE id = ?",
                    u.email(), u.name(), u.role(), u.profileImageUrl(), u.updatedAt(), u.id());
            if (renamed) {
                // Feedback keeps a copy of its author's name for lists ordered by username (see V5).
                db.update("UPDATE feedback SET user_name = ? WHERE user_id = ?", u.name(), u.id());
            }
            return null;
        });
    }

    public void updatePassword(String id, String hash, long now) {
        db.update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", hash, now, id);
    }

    public void touch(String id, long now) {
        db.update("UPDATE users SET last_active_at = ? WHERE id = ?", now, id);
    }

    public boolean delete(String id) {
        return db.update("DELETE FROM users WHERE id = ?", id) > 0;
    }

    public Optional<String> settings(String id) {
        return db.one("SELECT settings FROM users WHERE id = ?", rs -> rs.getString(1), id);
    }

    public void updateSettings(String id, String json, long now) {
        db.update("UPDATE users SET settings = ?, updated_at = ? WHERE id = ?", json, now, id);
    }
}
