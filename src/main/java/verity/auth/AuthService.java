package verity.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import verity.http.ApiException;
import verity.users.Emails;
import verity.users.User;
import verity.users.UserService;

/** Sign-up, sign-in, sign-out, own profile and password, and API keys. */
public final class AuthService {
    /** The Open WebUI form (one key per user, POST replaces it) manages the key of this name. */
    static final String DEFAULT_KEY_NAME = "default";

    private final UserService users;
    private final Passwords passwords;
    private final Tokens tokens;
    private final Credentials credentials;
    private final ApiKeyStore apiKeys;
    private final RevokedTokenStore revoked;
    private final SigninThrottle throttle;
    private final Clock clock;
    private final boolean signupEnabled;
    private final boolean apiKeysEnabled;
    private final SecureRandom random = new SecureRandom();

    public AuthService(UserService users, Passwords passwords, Tokens tokens, Credentials credentials,
                       ApiKeyStore apiKeys, RevokedTokenStore revoked, Clock clock,
                       boolean signupEnabled, boolean apiKeysEnabled) {
        this.users = users;
        this.passwords = passwords;
        this.tokens = tokens;
        this.credentials = credentials;
        this.apiKeys = apiKeys;
        this.revoked = revoked;
        this.throttle = new SigninThrottle(clock);
        this.clock = clock;
        this.signupEnabled = signupEnabled;
        this.apiKeysEnabled = apiKeysEnabled;
    }

    /** A signed-in account and its new session token. */
    public record Session(User user, Tokens.Issued token) {}

    /** Self-service sign-up: always allowed for the first account, otherwise only when ENABLE_SIGNUP is on. */
    public Session signup(String name, String email, String password, String profileImageUrl) {
        if (!signupEnabled && users.hasUsers()) {
            throw ApiException.forbidden("Sign-up is disabled. Ask an administrator to create your account.");
        }
        User user = users.create(new UserService.NewUser(name, validEmail(email), password, profileImageUrl, null));
        return new Session(user, tokens.issue(user.id()));
    }

    /** An admin creates an account (default role: pending). The token returned never expires, as in Open WebUI. */
    public Session add(String name, String email, String password, String profileImageUrl, String role) {
        User user = users.create(new UserService.NewUser(name, validEmail(email), password, profileImageUrl,
                role == null ? "pending" : role));
        return new Session(user, tokens.issue(user.id(), Optional.empty()));
    }

    private static String validEmail(String email) {
        String normalized = Emails.normalize(email);
        if (!Emails.valid(normalized)) {
            throw ApiException.badRequest("Invalid email format.");
        }
        return normalized;
    }

    /** 400 on a wrong email or password (without saying which); 429 after too many failures for the email. */
    public Session signin(String email, String password) {
        String normalized = Emails.normalize(email);
        throttle.checkOpen(normalized);
        var account = users.findWithHash(normalized);
        if (account.isEmpty() || !passwords.matches(password, account.get().passwordHash())) {
            throttle.failed(normalized);
            throw ApiException.badRequest("The email or password provided is incorrect. Please check for typos and try signing in again.");
        }
        return new Session(account.get().user(), tokens.issue(account.get().user().id()));
    }

    /** Revokes a session token so it stops working here at once and on every replica within seconds. */
    public void signout(String credential) {
        if (credential == null || credential.startsWith("sk-")) {
            return;
        }
        tokens.verify(credential).ifPresent(claims -> {
            if (claims.jti() != null) {
                revoked.revoke(claims.jti(), claims.expiresAt());
            }
            credentials.forget(credential);
        });
    }

    public void changePassword(User user, String current, String next) {
        if (!users.findWithHash(user.email()).map(a -> passwords.matches(current, a.passwordHash())).orElse(false)) {
            throw ApiException.badRequest("The current password is incorrect.");
        }
        users.update(user, user.id(), new UserService.Changes(null, null, null, next, null));
    }

    public User updateProfile(User user, String name, String profileImageUrl) {
        return users.update(user, user.id(), new UserService.Changes(name, null, null, null, profileImageUrl));
    }

    /** A key as created: the only time the full key is shown. */
    public record CreatedKey(String id, String name, String apiKey, String prefix, long createdAt) {}

    public CreatedKey createApiKey(User user, String name) {
        requireApiKeys();
        String key = "sk-" + HexFormat.of().formatHex(randomBytes(16));
        String id = UUID.randomUUID().toString();
        String prefix = key.substring(0, 7);
        long now = clock.instant().getEpochSecond();
        apiKeys.insert(id, user.id(), name, Credentials.sha256(key), prefix, now);
        return new CreatedKey(id, name, key, prefix, now);
    }

    /** Open WebUI's one-key form: replaces the user's default key. */
    public CreatedKey replaceDefaultApiKey(User user) {
        requireApiKeys();
        apiKeys.findByName(user.id(), DEFAULT_KEY_NAME).ifPresent(k -> deleteApiKey(user, k.id()));
        return createApiKey(user, DEFAULT_KEY_NAME);
    }

    public List<ApiKeyStore.ApiKey> listApiKeys(User user) {
        return apiKeys.list(user.id());
    }

    public Optional<ApiKeyStore.ApiKey> defaultApiKey(User user) {
        return apiKeys.findByName(user.id(), DEFAULT_KEY_NAME);
    }

    public void deleteApiKey(User user, String id) {
        if (!apiKeys.delete(user.id(), id)) {
            throw ApiException.notFound("API key not found");
        }
        credentials.forgetAll();
    }

    private void requireApiKeys() {
        if (!apiKeysEnabled) {
            throw ApiException.forbidden("API key creation is not allowed in the environment.");
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }
}
