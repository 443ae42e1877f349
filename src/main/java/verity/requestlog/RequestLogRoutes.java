package verity.requestlog;

import static io.javalin.http.HandlerType.GET;
import static verity.http.Access.ADMIN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Query;
import verity.http.Route;

/** Reading the request log: owners see their own requests, admins see all. */
public final class RequestLogRoutes {
    private static final String TAG = "requests";
    private static final int PAGE_SIZE = 50;
    private final RequestLogStore store;
    private final RequestLogWriter writer;

    public RequestLogRoutes(RequestLogStore store, RequestLogWriter writer) {
        this.store = store;
        this.writer = writer;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/requests", USER, TAG, "Logged requests, newest first, 50 per ?page (admins: all, ?user_id, ?model)", this::list),
                Route.api(GET, "/requests/stats", ADMIN, TAG, "Request-log writer status: queued, written, failed, behind", ctx -> ctx.json(writer.status())),
                Route.api(GET, "/requests/{id}", USER, TAG, "One logged request with bodies, properties and scores (owner or admin)", this::get));
    }

    private void get(Context ctx) {
        Principal p = Principal.of(ctx);
        String id = ctx.pathParam("id");
        writer.awaitWritten(id);
        Map<String, Object> row = store.find(id)
                .filter(r -> p.isAdmin() || p.userId().equals(r.get("user_id")))
                .orElseThrow(() -> ApiException.notFound("Request not found"));
        ctx.json(row);
    }

    private void list(Context ctx) {
        Principal p = Principal.of(ctx);
        int page = Query.page(ctx);
        String userId = p.isAdmin() ? Query.optional(ctx, "user_id").orElse(null) : p.userId();
        String model = Query.optional(ctx, "model").orElse(null);
        long total = store.count(userId, model);
        ctx.json(Map.of("items", store.page(userId, model, PAGE_SIZE, (page - 1) * PAGE_SIZE), "total", total,
                "page", page, "pages", (total + PAGE_SIZE - 1) / PAGE_SIZE));
    }
}
