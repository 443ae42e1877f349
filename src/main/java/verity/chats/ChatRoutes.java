package verity.chats;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.USER;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.RawJson;
import verity.http.RawObject;
import verity.http.Query;
import verity.http.Route;
import verity.users.User;

/** /api/chats/* (seed) and /api/v1/chats/* (Open WebUI). */
public final class ChatRoutes {
    private static final String TAG = "chats";
    private final ChatService chats;

    public ChatRoutes(ChatService chats) {
        this.chats = chats;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/chats/", USER, TAG, "Own chats, newest first (60 per ?page; all without it); archived excluded", this::list)
                        .alias("/api/v1/chats/list"),
                Route.api(POST, "/chats/new", USER, TAG, "Create a chat; the title comes from chat.title", this::create)
                        .body(Map.of("chat", "object", "folder_id", "string?")),
                Route.api(DELETE, "/chats/", USER, TAG, "Delete all own chats", ctx -> {
                    chats.deleteAll(user(ctx));
                    ctx.json(true);
                }),
                Route.api(GET, "/chats/all", USER, TAG, "All own chats with their content", ctx -> RawJson.respond(ctx, chats.all(user(ctx)))),
                Route.api(GET, "/chats/pinned", USER, TAG, "Own pinned chats", ctx -> ctx.json(chats.list(user(ctx), null, false, true))),
                Route.api(GET, "/chats/archived", USER, TAG, "Own archived chats", ctx -> ctx.json(chats.list(user(ctx), Query.optionalPage(ctx), true, null))),
                Route.api(GET, "/chats/all/tags", USER, TAG, "Every tag on own chats", ctx -> ctx.json(chats.allTags(user(ctx)))),
                Route.api(GET, "/chats/search", USER, TAG, "Search titles and content; tag:x and archived:true tokens", this::search),
                Route.api(POST, "/chats/import", USER, TAG, "Import chats", this::importChats)
                        .body(Map.of("chats", "array")),
                Route.api(GET, "/chats/share/{share_id}", USER, TAG, "A shared chat snapshot", ctx -> RawJson.respond(ctx, chats.shared(ctx.pathParam("share_id")))),
                Route.api(GET, "/chats/{id}", USER, TAG, "One chat (owner; admins may read any)", ctx -> RawJson.respond(ctx, chats.get(user(ctx), id(ctx)))),
                Route.api(POST, "/chats/{id}", USER, TAG, "Update: shallow merge of chat", this::update)
                        .body(Map.of("chat", "object")),
                Route.api(DELETE, "/chats/{id}", USER, TAG, "Delete a chat", ctx -> {
                    chats.delete(user(ctx), id(ctx));
                    ctx.json(true);
                }),
                Route.api(POST, "/chats/{id}/pin", USER, TAG, "Toggle pinned", ctx -> RawJson.respond(ctx, chats.togglePinned(user(ctx), id(ctx)))),
                Route.api(GET, "/chats/{id}/pinned", USER, TAG, "Whether the chat is pinned", ctx -> ctx.json(chats.isPinned(user(ctx), id(ctx)))),
                Route.api(POST, "/chats/{id}/archive", USER, TAG, "Toggle archived", ctx -> RawJson.respond(ctx, chats.toggleArchived(user(ctx), id(ctx)))),
                Route.api(POST, "/chats/{id}/share", USER, TAG, "Share a snapshot: {share_id, url} plus the chat", this::share),
                Route.api(DELETE, "/chats/{id}/share", USER, TAG, "Stop sharing", ctx -> ctx.json(chats.unshare(user(ctx), id(ctx)))),
                Route.api(POST, "/chats/{id}/clone", USER, TAG, "Copy a chat", this::copy)
                        .body(Map.of("title", "string?")),
                Route.api(GET, "/chats/{id}/tags", USER, TAG, "Tags of a chat", ctx -> ctx.json(chats.tags(user(ctx), id(ctx)))),
                Route.api(POST, "/chats/{id}/tags", USER, TAG, "Add a tag by name", ctx -> ctx.json(chats.addTag(user(ctx), id(ctx), tagName(ctx))))
                        .body(Map.of("name", "string")),
                Route.api(DELETE, "/chats/{id}/tags", USER, TAG, "Remove a tag by name", ctx -> ctx.json(chats.removeTag(user(ctx), id(ctx), tagName(ctx))))
                        .body(Map.of("name", "string")));
    }

    private static User user(Context ctx) {
        return Principal.of(ctx).user();
    }

    private static String id(Context ctx) {
        return ctx.pathParam("id");
    }

    private void list(Context ctx) {
        Boolean pinned = Query.optional(ctx, "include_pinned").map(v -> v.equalsIgnoreCase("false") ? Boolean.FALSE : null).orElse(null);
        ctx.json(chats.list(user(ctx), Query.optionalPage(ctx), false, pinned));
    }

    private void create(Context ctx) {
        RawObject body = Form.rawObject(ctx, "chat");
        RawObject chat = Form.requireRawObject(body, "chat");
        String folderId = RawJson.string(body.get("folder_id"));
        checkFolderId(folderId, List.of("body", "folder_id"));
        RawJson.respond(ctx, chats.create(user(ctx), chat, folderId));
    }

    private void update(Context ctx) {
        RawObject body = Form.rawObject(ctx, "chat");
        RawJson.respond(ctx, chats.update(user(ctx), id(ctx), Form.requireRawObject(body, "chat")));
    }

    private void search(Context ctx) {
        ctx.json(chats.search(user(ctx), ctx.queryParam("text"), Query.optionalPage(ctx)));
    }

    /** The seed's {share_id, url} next to the chat's own fields. */
    record Shared(@JsonUnwrapped Chat chat, String url) {}

    private void share(Context ctx) {
        Chat chat = chats.share(user(ctx), id(ctx));
        RawJson.respond(ctx, new Shared(chat, baseUrl(ctx) + "/s/" + chat.shareId()));
    }

    private static String baseUrl(Context ctx) {
        String host = ctx.header("Host");
        String proto = ctx.header("X-Forwarded-Proto");
        return (proto != null ? proto : ctx.scheme()) + "://" + (host != null ? host : "localhost");
    }

    private void copy(Context ctx) {
        Form f = Form.ofOptional(ctx);
        String title = f.optionalString("title", 1000);
        f.check();
        RawJson.respond(ctx, chats.copy(user(ctx), id(ctx), title));
    }

    private static String tagName(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        f.check();
        if (name.isBlank()) {
            throw ApiException.invalid("name", "Tag name must not be empty", "string_too_short");
        }
        return name;
    }

    private void importChats(Context ctx) {
        Form f = Form.of(ctx);
        JsonNode list = f.raw().get("chats");
        if (list == null || !list.isArray()) {
            throw ApiException.invalid("chats", "Input should be a valid list", "list_type");
        }
        List<ChatService.Imported> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode item = list.get(i);
            if (!(item instanceof ObjectNode o) || !(o.get("chat") instanceof ObjectNode chat)) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(
                        List.of("body", "chats", Integer.toString(i), "chat"), "Input should be a valid dictionary", "dict_type")));
            }
            String folderId = o.path("folder_id").isString() ? o.get("folder_id").asString() : null;
            checkFolderId(folderId, List.of("body", "chats", Integer.toString(i), "folder_id"));
            items.add(new ChatService.Imported(RawObject.of(chat), o.path("pinned").asBoolean(false), folderId,
                    timestamp(o, i, "created_at"), timestamp(o, i, "updated_at")));
        }
        RawJson.respond(ctx, chats.importAll(user(ctx), items));
    }

    /** An imported chat's optional epoch-seconds field; an integer beyond the 64-bit range is a 422, not a 500. */
    private static Long timestamp(ObjectNode item, int index, String field) {
        JsonNode value = item.get(field);
        if (value == null || !value.isIntegralNumber()) {
            return null;
        }
        if (!value.canConvertToLong()) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(
                    List.of("body", "chats", Integer.toString(index), field), "Input should be a valid 64-bit integer", "int_parsing")));
        }
        return value.asLong();
    }

    /** chats.folder_id is VARCHAR(36): a longer id is a 422 on every database (PostgreSQL would otherwise fail with a 500). */
    private static void checkFolderId(String folderId, List<String> loc) {
        if (folderId != null && folderId.length() > 36) {
            throw ApiException.invalid(List.of(new ApiException.FieldError(loc,
                    "String should have at most 36 characters", "string_too_long")));
        }
    }
}
