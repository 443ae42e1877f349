package verity.system;

import static io.javalin.http.HandlerType.GET;
import static verity.http.Access.OPTIONAL;
import static verity.http.Access.PUBLIC;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.db.Database;
import verity.http.Route;
import verity.users.UserService;

/** Health, version and the public configuration the web client reads at start-up. */
public final class SystemRoutes {
    private static final String TAG = "system";
    private final Database db;
    private final UserService users;
    private final String name;
    private final String version;
    private final Features features;

    /** Switches reported to clients in {@code /api/config}. */
    public record Features(boolean signup, boolean apiKeys) {}

    public SystemRoutes(Database db, UserService users, String name, String version, Features features) {
        this.db = db;
        this.users = users;
        this.name = name;
        this.version = version;
        this.features = features;
    }

    public List<Route> routes() {
        return List.of(
                Route.at(GET, List.of("/health"), PUBLIC, TAG, "Liveness", ctx -> ctx.json(Map.of("status", true))),
                Route.at(GET, List.of("/health/db"), PUBLIC, TAG, "Database reachability", this::healthDb),
                Route.at(GET, List.of("/api/version"), PUBLIC, TAG, "Server version", ctx -> ctx.json(Map.of("version", version))),
                Route.at(GET, List.of("/api/config"), OPTIONAL, TAG, "Public configuration and feature switches", this::config));
    }

    private void healthDb(Context ctx) {
        boolean ok = db.ping();
        ctx.status(ok ? 200 : 503).json(ok ? Map.of("status", true) : Map.of("status", false, "detail", "Database unreachable"));
    }

    private void config(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", true);
        body.put("name", name);
        body.put("version", version);
        body.put("default_locale", "");
        body.put("oauth", Map.of("providers", Map.of()));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("auth", true);
        f.put("auth_trusted_header", false);
        f.put("enable_ldap", false);
        f.put("enable_api_keys", features.apiKeys());
        f.put("enable_signup", features.signup());
        f.put("enable_login_form", true);
        f.put("enable_websocket", false);
        body.put("features", f);
        Principal caller = Principal.orNull(ctx);
        if (caller != null && !caller.user().isPending()) {
            f.put("enable_message_rating", true);
            f.put("enable_community_sharing", false);
            f.put("enable_admin_export", true);
            body.put("default_models", "");
            body.put("default_prompt_suggestions", List.of());
        }
        if (!users.hasUsers()) {
            body.put("onboarding", true);
        }
        ctx.json(body);
    }
}
