package verity.auth;

import java.util.Optional;
import verity.db.Database;
import verity.users.User;
import verity.users.UserStore;

/** Signed-out session tokens (by jti), kept until they would have expired anyway. */
public final class RevokedTokenStore {
    /** An account with whether the token id presented for it has been revoked. */
    record Session(User user, boolean revoked) {}

    private final Database db;

    public RevokedTokenStore(Database db) {
        this.db = db;
    }

    void revoke(String jti, Long expiresAt) {
        db.update("INSERT INTO revoked_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT (jti) DO NOTHING", jti, expiresAt);
    }

    /** The token's account and its revocation status, in one read. */
    Optional<Session> session(String userId, String jti) {
        return db.one("SELECT " + UserStore.COLUMNS + ", (SELECT COUNT(*) FROM revoked_tokens r WHERE r.jti = ?) AS revoked "
                        + "FROM users u WHERE u.id = ?",
                rs -> new Session(UserStore.map(rs), rs.getLong("revoked") > 0), jti == null ? "" : jti, userId);
    }

    public int purgeExpired(long now) {
        return db.update("DELETE FROM revoked_tokens WHERE expires_at IS NOT NULL AND expires_at < ?", now);
    }
}
