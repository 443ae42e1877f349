package verity.auth;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.PUBLIC;
import static verity.http.Access.SIGNED_IN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Route;
import verity.users.User;
import verity.users.UserService;

/** /api/auths/* (seed) and /api/v1/auths/* (Open WebUI), plus the seed's /api/users/api_key. */
public final class AuthRoutes {
    private static final String TAG = "auths";
    private final AuthService auth;
    private final SessionCookie cookie;
    private final boolean apiKeysEnabled;

    public AuthRoutes(AuthService auth, SessionCookie cookie, boolean apiKeysEnabled) {
        this.auth = auth;
        this.cookie = cookie;
        this.apiKeysEnabled = apiKeysEnabled;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(POST, "/auths/signup", PUBLIC, TAG, "Create an account (the first becomes admin)", this::signup)
                        .body(Map.of("name", "string", "email", "string", "password", "string", "profile_image_url", "string?")),
                Route.api(POST, "/auths/signin", PUBLIC, TAG, "Sign in with email and password", this::signin)
                        .body(Map.of("email", "string", "password", "string")),
                Route.api(POST, "/auths/signout", PUBLIC, TAG, "Sign out: revoke the session token", this::signout),
                Route.api(GET, "/auths/signout", PUBLIC, TAG, "Sign out (GET form of Open WebUI 0.6)", this::signout),
                Route.api(GET, "/auths/", SIGNED_IN, TAG, "The current account and session", this::current),
                Route.api(POST, "/auths/update/profile", USER, TAG, "Update own name and profile image", this::updateProfile)
                        .body(Map.of("name", "string", "profile_image_url", "string?")),
                Route.api(POST, "/auths/update/password", SIGNED_IN, TAG, "Change own password", this::updatePassword)
                        .body(Map.of("password", "string", "new_password", "string")),
                Route.api(POST, "/auths/add", ADMIN, TAG, "Create an account for someone (admin)", this::add)
                        .body(Map.of("name", "string", "email", "string", "password", "string", "profile_image_url", "string?", "role", "string?")),
                Route.api(POST, "/users/api_key", USER, "api keys", "Create a named API key (shown once)", this::createKey)
                        .body(Map.of("name", "string?")),
                Route.api(GET, "/users/api_keys", USER, "api keys", "List own API keys (prefix, name, dates)", this::listKeys),
                Route.api(DELETE, "/users/api_keys/{key_id}", USER, "api keys", "Revoke one of own API keys", this::deleteKey),
                Route.api(POST, "/auths/api_key", USER, "api keys", "Create or replace the default API key (Open WebUI form)", this::replaceDefaultKey),
                Route.api(GET, "/auths/api_key", USER, "api keys", "The default API key's prefix", this::getDefaultKey),
                Route.api(DELETE, "/auths/api_key", USER, "api keys", "Delete the default API key", this::deleteDefaultKey));
    }

    private void signup(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String email = f.requiredString("email", 320);
        String password = f.requiredString("password", 1024);
        String image = f.optionalString("profile_image_url", 1 << 20);
        f.check();
        if (name.isBlank()) {
            throw ApiException.invalid("name", "Name must not be empty", "string_too_short");
        }
        session(ctx, auth.signup(name.trim(), email, password, image));
    }

    private void signin(Context ctx) {
        Form f = Form.of(ctx);
        String email = f.requiredString("email", 320);
        String password = f.requiredString("password", 1024);
        f.check();
        session(ctx, auth.signin(email, password));
    }

    private void signout(Context ctx) {
        auth.signout(Authenticator.credential(ctx));
        cookie.clear(ctx);
        ctx.json(Map.of("status", true));
    }

    private void current(Context ctx) {
        Principal p = Principal.of(ctx);
        Map<String, Object> body = userFields(p.user());
        body.put("token", p.viaApiKey() ? null : p.token());
        body.put("token_type", "Bearer");
        body.put("expires_at", p.expiresAt());
        body.put("permissions", Permissions.of(p.user(), apiKeysEnabled));
        ctx.json(body);
    }

    private void updateProfile(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String image = f.optionalString("profile_image_url", 1 << 20);
        f.check();
        User user = auth.updateProfile(Principal.of(ctx).user(), name.trim(), image);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", user.id());
        body.put("name", user.name());
        body.put("role", user.role());
        body.put("email", user.email());
        body.put("profile_image_url", user.profileImageUrl());
        ctx.json(body);
    }

    private void updatePassword(Context ctx) {
        Form f = Form.of(ctx);
        String current = f.requiredString("password", 1024);
        String next = f.requiredString("new_password", 1024);
        f.check();
        auth.changePassword(Principal.of(ctx).user(), current, next);
        ctx.json(true);
    }

    private void add(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String email = f.requiredString("email", 320);
        String password = f.requiredString("password", 1024);
        String image = f.optionalString("profile_image_url", 1 << 20);
        String role = f.optionalString("role", 16);
        f.check();
        if (role != null && !UserService.ROLES.contains(role)) {
            throw ApiException.invalid("role", "Input should be 'pending', 'user' or 'admin'", "enum");
        }
        AuthService.Session s = auth.add(name.trim(), email, password, image, role);
        ctx.json(sessionBody(s));
    }

    private void createKey(Context ctx) {
        Form f = Form.ofOptional(ctx);
        String name = f.optionalString("name", 255);
        f.check();
        ctx.json(auth.createApiKey(Principal.of(ctx).user(), name == null || name.isBlank() ? "API key" : name.trim()));
    }

    private void listKeys(Context ctx) {
        ctx.json(auth.listApiKeys(Principal.of(ctx).user()));
    }

    private void deleteKey(Context ctx) {
        auth.deleteApiKey(Principal.of(ctx).user(), ctx.pathParam("key_id"));
        ctx.json(true);
    }

    private void replaceDefaultKey(Context ctx) {
        ctx.json(auth.replaceDefaultApiKey(Principal.of(ctx).user()));
    }

    private void getDefaultKey(Context ctx) {
        ApiKeyStore.ApiKey key = auth.defaultApiKey(Principal.of(ctx).user())
                .orElseThrow(() -> ApiException.notFound("API key not found"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("api_key", key.prefix() + "…");
        body.put("id", key.id());
        body.put("name", key.name());
        body.put("prefix", key.prefix());
        body.put("created_at", key.createdAt());
        body.put("last_used_at", key.lastUsedAt());
        ctx.json(body);
    }

    private void deleteDefaultKey(Context ctx) {
        User user = Principal.of(ctx).user();
        ApiKeyStore.ApiKey key = auth.defaultApiKey(user).orElseThrow(() -> ApiException.notFound("API key not found"));
        auth.deleteApiKey(user, key.id());
        ctx.json(true);
    }

    private void session(Context ctx, AuthService.Session s) {
        cookie.set(ctx, s.token());
        ctx.json(sessionBody(s));
    }

    /** Open WebUI's flat session fields plus the seed's {@code {token, user}}. */
    private Map<String, Object> sessionBody(AuthService.Session s) {
        Map<String, Object> body = userFields(s.user());
        body.put("token", s.token().token());
        body.put("token_type", "Bearer");
        body.put("expires_at", s.token().expiresAt());
        body.put("permissions", Permissions.of(s.user(), apiKeysEnabled));
        body.put("user", s.user());
        return body;
    }

    private static Map<String, Object> userFields(User u) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", u.id());
        body.put("email", u.email());
        body.put("name", u.name());
        body.put("role", u.role());
        body.put("profile_image_url", u.profileImageUrl());
        body.put("last_active_at", u.lastActiveAt());
        body.put("created_at", u.createdAt());
        return body;
    }
}
