package verity.users;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Query;
import verity.http.Route;

/** /api/users/* (seed) and /api/v1/users/* (Open WebUI). */
public final class UserRoutes {
    private static final String TAG = "users";
    private final UserService users;

    public UserRoutes(UserService users) {
        this.users = users;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/users/", ADMIN, TAG, "List accounts: 30 per page, ?query, ?order_by, ?direction, ?page", this::list),
                Route.api(GET, "/users/user/settings", USER, TAG, "Own settings (stored JSON)", this::settings),
                Route.api(POST, "/users/user/settings/update", USER, TAG, "Replace own settings", this::updateSettings)
                        .body(Map.of("ui", "object?")),
                Route.api(GET, "/users/{user_id}", USER, TAG, "One account (admins: any; others: themselves)", this::get),
                Route.api(POST, "/users/{user_id}/update", ADMIN, TAG, "Change an account's name, email, role, password or image", this::update)
                        .body(Map.of("name", "string?", "email", "string?", "role", "string?", "password", "string?", "profile_image_url", "string?")),
                Route.api(POST, "/users/{user_id}/role", ADMIN, TAG, "Change an account's role", this::setRole)
                        .body(Map.of("role", "string")),
                Route.api(DELETE, "/users/{user_id}", ADMIN, TAG, "Delete an account and everything it owns", this::delete));
    }

    private void list(Context ctx) {
        int page = Query.page(ctx);
        UserQuery.Order order = Query.optional(ctx, "order_by")
                .map(v -> UserQuery.Order.parse(v).orElseThrow(() -> ApiException.invalidQuery("order_by",
                        "Input should be one of created_at, updated_at, last_active_at, name, email, role", "enum")))
                .orElse(UserQuery.Order.CREATED_AT);
        boolean ascending = Query.ascending(ctx, false);
        UserService.Page result = users.list(ctx.queryParam("query"), order, ascending, page);
        ctx.json(Map.of("users", result.users(), "total", result.total()));
    }

    private void get(Context ctx) {
        Principal p = Principal.of(ctx);
        String id = ctx.pathParam("user_id");
        if (!p.isAdmin() && !p.userId().equals(id)) {
            throw ApiException.notFound("User not found");
        }
        ctx.json(users.get(id));
    }

    private void update(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.optionalString("name", 255);
        String email = f.optionalString("email", 320);
        String role = role(f, false);
        String password = f.optionalString("password", 1024);
        String image = f.optionalString("profile_image_url", 1 << 20);
        f.check();
        if (name != null && name.isBlank()) {
            throw ApiException.invalid("name", "Name must not be empty", "string_too_short");
        }
        ctx.json(users.update(Principal.of(ctx).user(), ctx.pathParam("user_id"),
                new UserService.Changes(name == null ? null : name.trim(), email, role,
                        password == null || password.isEmpty() ? null : password, image)));
    }

    private void setRole(Context ctx) {
        Form f = Form.of(ctx);
        String role = role(f, true);
        f.check();
        ctx.json(users.update(Principal.of(ctx).user(), ctx.pathParam("user_id"),
                new UserService.Changes(null, null, role, null, null)));
    }

    private static String role(Form f, boolean required) {
        String role = required ? f.requiredString("role", 16) : f.optionalString("role", 16);
        if (role != null && !UserService.ROLES.contains(role)) {
            f.error("role", "Input should be 'pending', 'user' or 'admin'", "enum");
            return null;
        }
        return role;
    }

    private void delete(Context ctx) {
        users.delete(Principal.of(ctx).user(), ctx.pathParam("user_id"));
        ctx.json(true);
    }

    private void settings(Context ctx) {
        ctx.json(users.settings(Principal.of(ctx).userId()));
    }

    private void updateSettings(Context ctx) {
        Form f = Form.of(ctx);
        ctx.json(users.updateSettings(Principal.of(ctx).userId(), f.raw()));
    }
}
