package verity.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executor;
import verity.http.ApiException;
import verity.users.UserStore;

/**
 * Turns a bearer credential (session JWT or {@code sk-} API key) into a {@link Principal}.
 *
 * <p>A resolved credential is cached for a few seconds, so verifying a request costs at most one database read
 * and usually none. Sign-out and account changes on this replica drop cached entries at once; on other replicas
 * they take effect when the entry expires ({@link #TTL}).
 */
public final class Credentials {
    public static final Duration TTL = Duration.ofSeconds(5);
    static final String INVALID_TOKEN = "Your session has expired or the token is invalid. Please sign in again.";
    private static final long TOUCH_INTERVAL_SECONDS = 60;

    private final Tokens tokens;
    private final ApiKeyStore apiKeys;
    private final RevokedTokenStore revoked;
    private final UserStore users;
    private final boolean apiKeysEnabled;
    private final Clock clock;
    private final Executor background;
    private final Cache<String, Principal> cache =
            Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(100_000).build();

    public Credentials(Tokens tokens, ApiKeyStore apiKeys, RevokedTokenStore revoked, UserStore users,
                boolean apiKeysEnabled, Clock clock, Executor background) {
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.revoked = revoked;
        this.users = users;
        this.apiKeysEnabled = apiKeysEnabled;
        this.clock = clock;
        this.background = background;
    }

    /** The caller behind {@code credential}; 401 when it is unknown, expired or revoked. */
    public Principal resolve(String credential) {
        boolean apiKey = credential.startsWith("sk-");
        if (apiKey && !apiKeysEnabled) {
            throw ApiException.forbidden("Use of API key is not enabled in the environment.");
        }
        Principal cached = cache.getIfPresent(credential);
        long now = clock.instant().getEpochSecond();
        if (cached != null && (cached.expiresAt() == null || cached.expiresAt() > now)) {
            return cached;
        }
        Principal principal = apiKey ? fromApiKey(credential, now) : fromToken(credential, now);
        cache.put(credential, principal);
        return principal;
    }

    private Principal fromApiKey(String key, long now) {
        ApiKeyStore.Owner owner = apiKeys.owner(sha256(key))
                .orElseThrow(() -> ApiException.unauthorized("Invalid API key."));
        if (owner.lastUsedAt() == null || owner.lastUsedAt() < now - TOUCH_INTERVAL_SECONDS) {
            background.execute(() -> apiKeys.touch(owner.keyId(), now));
        }
        touchUser(owner.user().id(), owner.user().lastActiveAt(), now);
        return new Principal(owner.user(), key, null, null, owner.keyId());
    }

    private Principal fromToken(String token, long now) {
        Tokens.Claims claims = tokens.verify(token).orElseThrow(() -> ApiException.unauthorized(INVALID_TOKEN));
        RevokedTokenStore.Session session = revoked.session(claims.userId(), claims.jti())
                .filter(s -> !s.revoked())
                .orElseThrow(() -> ApiException.unauthorized(INVALID_TOKEN));
        touchUser(session.user().id(), session.user().lastActiveAt(), now);
        return new Principal(session.user(), token, claims.jti(), claims.expiresAt(), null);
    }

    private void touchUser(String userId, long lastActiveAt, long now) {
        if (lastActiveAt < now - TOUCH_INTERVAL_SECONDS) {
            background.execute(() -> users.touch(userId, now));
        }
    }

    /** Forget one credential (after sign-out). */
    public void forget(String credential) {
        cache.invalidate(credential);
    }

    /** Forget everything (after a change to any account or key). */
    public void forgetAll() {
        cache.invalidateAll();
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
