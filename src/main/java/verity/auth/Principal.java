package verity.auth;

import io.javalin.http.Context;
import verity.http.ApiException;
import verity.users.User;

/**
 * The authenticated caller of a request: the account and how it proved itself.
 * {@code jti} and {@code expiresAt} are set for session tokens; {@code apiKeyId} for API keys.
 */
public record Principal(User user, String token, String jti, Long expiresAt, String apiKeyId) {
    private static final String ATTRIBUTE = "verity.principal";

    public boolean viaApiKey() {
        return apiKeyId != null;
    }

    public String userId() {
        return user.id();
    }

    public boolean isAdmin() {
        return user.isAdmin();
    }

    void attach(Context ctx) {
        ctx.attribute(ATTRIBUTE, this);
    }

    /** The caller of a route whose access requires credentials. */
    public static Principal of(Context ctx) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) {
            throw ApiException.unauthorized("Not authenticated");
        }
        return p;
    }

    /** The caller, if credentials were given (for routes with optional authentication). */
    public static Principal orNull(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }
}
