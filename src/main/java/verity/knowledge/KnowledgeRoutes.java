package verity.knowledge;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Query;
import verity.http.Route;
import verity.users.User;

/** /api/knowledge/* (seed) and /api/v1/knowledge/* (Open WebUI). */
public final class KnowledgeRoutes {
    private static final String TAG = "knowledge";
    private final KnowledgeService knowledge;

    public KnowledgeRoutes(KnowledgeService knowledge) {
        this.knowledge = knowledge;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/knowledge/", USER, TAG, "Own collections, most recently changed first (all, or 30 per ?page as {items, total})", this::list),
                Route.api(POST, "/knowledge/create", USER, TAG, "Create a collection", this::create)
                        .body(Map.of("name", "string", "description", "string?")),
                Route.api(GET, "/knowledge/{id}", USER, TAG, "One collection with its files (owner or admin)", ctx -> ctx.json(knowledge.get(user(ctx), id(ctx)))),
                Route.api(POST, "/knowledge/{id}/update", USER, TAG, "Rename or describe a collection", this::update)
                        .body(Map.of("name", "string?", "description", "string?")),
                Route.api(POST, "/knowledge/{id}/file/add", USER, TAG, "Add an own file; its chunks become searchable in the collection", ctx ->
                        ctx.json(knowledge.addFile(user(ctx), id(ctx), fileId(ctx))))
                        .body(Map.of("file_id", "string")),
                Route.api(GET, "/knowledge/{id}/files", USER, TAG, "The collection's files, 30 per ?page as {items, total}; ?query keeps names containing it", ctx ->
                        ctx.json(knowledge.files(user(ctx), id(ctx), Query.optional(ctx, "query").orElse(null), Query.page(ctx)))),
                Route.api(POST, "/knowledge/{id}/file/update", USER, TAG, "Process one of the collection's files again", ctx ->
                        ctx.json(knowledge.updateFile(user(ctx), id(ctx), fileId(ctx))))
                        .body(Map.of("file_id", "string")),
                Route.api(POST, "/knowledge/{id}/file/remove", USER, TAG, "Remove a file from the collection (?delete_file=true also deletes the file)", ctx ->
                        ctx.json(knowledge.removeFile(user(ctx), id(ctx), fileId(ctx), "true".equalsIgnoreCase(ctx.queryParam("delete_file")))))
                        .body(Map.of("file_id", "string")),
                Route.api(POST, "/knowledge/{id}/reset", USER, TAG, "Remove every file from the collection", ctx -> ctx.json(knowledge.reset(user(ctx), id(ctx)))),
                Route.api(DELETE, "/knowledge/{id}/delete", USER, TAG, "Delete the collection (its files stay)", ctx -> {
                    knowledge.delete(user(ctx), id(ctx));
                    ctx.json(true);
                }));
    }

    private static User user(Context ctx) {
        return Principal.of(ctx).user();
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private static String fileId(Context ctx) {
        Form f = Form.of(ctx);
        String id = f.requiredString("file_id", 36);
        f.check();
        return id;
    }

    private void list(Context ctx) {
        Integer page = Query.optionalPage(ctx);
        ctx.json(page == null ? knowledge.list(user(ctx)) : knowledge.page(user(ctx), page));
    }

    private void create(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String description = f.optionalString("description", 10_000);
        f.check();
        if (name.isBlank()) {
            throw ApiException.invalid("name", "Name must not be empty", "string_too_short");
        }
        ctx.json(knowledge.create(user(ctx), name.strip(), description));
    }

    private void update(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.optionalString("name", 255);
        String description = f.optionalString("description", 10_000);
        f.check();
        if (name != null && name.isBlank()) {
            throw ApiException.invalid("name", "Name must not be empty", "string_too_short");
        }
        ctx.json(knowledge.update(user(ctx), id(ctx), name == null ? null : name.strip(), description));
    }
}
