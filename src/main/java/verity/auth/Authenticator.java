package verity.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.router.Endpoint;
import java.util.function.BiConsumer;
import verity.http.Access;
import verity.http.ApiException;
import verity.http.Route;
import verity.ratelimit.RateLimiter;

/**
 * Runs before every matched route: resolves the caller from {@code Authorization: Bearer}, the {@code token}
 * cookie or {@code x-api-key}, enforces the route's {@link Access}, and applies the per-user rate limit.
 * 401 means no or bad credentials; 403 means the account's role is not enough.
 */
public final class Authenticator implements Handler {
    static final String NO_PERMISSION =
            "You do not have permission to access this resource. Please contact your administrator for assistance.";

    private final Credentials credentials;
    private final RateLimiter rateLimiter;

    /** @param rateLimiter null when rate limiting is off */
    public Authenticator(Credentials credentials, RateLimiter rateLimiter) {
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void handle(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        Route route = matched == null ? null : matched.metadata(Route.class);
        // Only the CORS plugin's pre-flight handler is registered without a Route.
        Access access = route == null ? Access.PUBLIC : route.access();
        if (access == Access.PUBLIC) {
            return;
        }
        Principal principal = authenticate(access, credential(ctx), ctx::header);
        if (principal != null) {
            principal.attach(ctx);
        }
    }

    /**
     * The caller of a route with {@code access} (not PUBLIC), or null when the route's access is OPTIONAL and no
     * credential was given. Rate-limit headers are set through {@code headers}; refusals are thrown.
     */
    public Principal authenticate(Access access, String credential, BiConsumer<String, String> headers) {
        if (credential == null) {
            if (access == Access.OPTIONAL) {
                return null;
            }
            throw ApiException.unauthorized("Not authenticated");
        }
        Principal principal = credentials.resolve(credential);
        limit(headers, principal);
        boolean allowed = switch (access) {
            case USER -> !principal.user().isPending();
            case ADMIN -> principal.isAdmin();
            default -> true;
        };
        if (!allowed) {
            throw ApiException.forbidden(NO_PERMISSION);
        }
        return principal;
    }

    private void limit(BiConsumer<String, String> headers, Principal principal) {
        if (rateLimiter == null || principal.isAdmin()) {
            return;
        }
        RateLimiter.Decision d = rateLimiter.acquire(principal.userId());
        headers.accept("X-RateLimit-Limit", Long.toString(d.limit()));
        headers.accept("X-RateLimit-Remaining", Long.toString(d.remaining()));
        headers.accept("X-RateLimit-Reset", Long.toString(d.resetEpochSeconds()));
        if (!d.allowed()) {
            throw ApiException.tooManyRequests("Rate limit exceeded: " + d.limit() + " requests per minute. Try again in "
                    + d.retryAfterSeconds() + " s.", d.retryAfterSeconds());
        }
    }

    /** The bearer credential of a request, or null. */
    public static String credential(Context ctx) {
        return credential(ctx.header("Authorization"), ctx.cookie("token"), ctx.header("x-api-key"));
    }

    /** The credential from the Authorization header, else the {@code token} cookie, else {@code x-api-key}; or null. */
    public static String credential(String authorization, String cookie, String apiKey) {
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String value = authorization.substring(7).trim();
            if (!value.isEmpty()) {
                return value;
            }
        }
        if (cookie != null && !cookie.isBlank()) {
            return cookie;
        }
        return apiKey != null && !apiKey.isBlank() ? apiKey.trim() : null;
    }
}
