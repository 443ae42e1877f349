package verity.gateway;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.ADMIN;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Query;
import verity.http.Route;

/** Model lists (/api/models), custom models (seed and /api/v1/models/*) and connection settings (/openai, /ollama). */
public final class ModelRoutes {
    private static final String TAG = "models";
    private final ModelCatalog catalog;
    private final CustomModelService custom;
    private final ConnectionSettings connections;

    public ModelRoutes(ModelCatalog catalog, CustomModelService custom, ConnectionSettings connections) {
        this.catalog = catalog;
        this.custom = custom;
        this.connections = connections;
    }

    public List<Route> routes() {
        return List.of(
                Route.api(GET, "/models", USER, TAG, "Every usable model: OpenAI's {object, data} and the seed's {models}", this::list),
                Route.api(GET, "/models/base", ADMIN, TAG, "Models of the configured model servers only", this::base),
                Route.api(POST, "/models/create", ADMIN, TAG, "Create a custom model over a base model (system prompt, parameters)", this::create)
                        .body(Map.of("id", "string?", "name", "string", "base_model", "string?", "base_model_id", "string?", "params", "object?", "meta", "object?")),
                Route.at(GET, List.of("/api/v1/models/list"), USER, TAG, "Custom models, 30 per page: {items, total}", this::customList),
                Route.at(GET, List.of("/api/v1/models/model"), USER, TAG, "One custom model (?id=)", ctx -> ctx.json(custom.get(idParam(ctx)))),
                Route.at(POST, List.of("/api/v1/models/model/update"), ADMIN, TAG, "Change a custom model (id in the body or ?id=)", this::update)
                        .body(Map.of("id", "string?", "name", "string?", "base_model_id", "string?", "params", "object?", "meta", "object?")),
                Route.at(POST, List.of("/api/v1/models/model/toggle"), ADMIN, TAG, "Switch a custom model on or off (?id=)", ctx -> {
                    CustomModel m = custom.toggle(idParam(ctx));
                    catalog.refresh();
                    ctx.json(m);
                }),
                Route.at(POST, List.of("/api/v1/models/model/delete"), ADMIN, TAG, "Delete a custom model ({id} or ?id=)", this::delete),
                Route.at(DELETE, List.of("/api/v1/models/model/delete"), ADMIN, TAG, "Delete a custom model (?id=, Open WebUI 0.6)", this::delete),
                Route.at(GET, List.of("/openai/config"), ADMIN, TAG, "OpenAI-compatible connections", ctx -> ctx.json(connections.openAi())),
                Route.at(POST, List.of("/openai/config/update", "/openai/config"), ADMIN, TAG, "Replace the OpenAI-compatible connections", this::updateOpenAi)
                        .body(Map.of("ENABLE_OPENAI_API", "boolean?", "OPENAI_API_BASE_URLS", "array", "OPENAI_API_KEYS", "array?", "OPENAI_API_CONFIGS", "object?")),
                Route.at(GET, List.of("/ollama/config"), ADMIN, TAG, "Ollama connections", ctx -> ctx.json(connections.ollama())),
                Route.at(POST, List.of("/ollama/config/update", "/ollama/config"), ADMIN, TAG, "Replace the Ollama connections", this::updateOllama)
                        .body(Map.of("ENABLE_OLLAMA_API", "boolean?", "OLLAMA_BASE_URLS", "array", "OLLAMA_API_CONFIGS", "object?")));
    }

    private void list(Context ctx) {
        if ("true".equalsIgnoreCase(ctx.queryParam("refresh"))) {
            catalog.refresh();
        }
        List<Map<String, Object>> entries = catalog.models().stream().map(ModelRoutes::entry).toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("object", "list");
        body.put("data", entries);
        body.put("models", entries);
        ctx.json(body);
    }

    private void base(Context ctx) {
        List<Map<String, Object>> entries = catalog.baseModels().stream().map(ModelRoutes::entry).toList();
        ctx.json(Map.of("object", "list", "data", entries, "models", entries));
    }

    static Map<String, Object> entry(ModelCatalog.Model m) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("id", m.id());
        e.put("name", m.name());
        e.put("object", "model");
        e.put("created", m.created());
        e.put("owned_by", m.ownedBy());
        if (m.connection() != null) {
            e.put("connection_type", "external");
            e.put("urlIdx", m.connection().index());
        }
        if (m.isArena()) {
            e.put("arena", true);
            e.put("info", Map.of("meta", m.arena().path("meta")));
        }
        if (m.custom() != null) {
            e.put("info", m.custom());
        }
        return e;
    }

    private static String idParam(Context ctx) {
        return Query.optional(ctx, "id").orElseThrow(() -> ApiException.invalidQuery("id", "Field required", "missing"));
    }

    private void create(Context ctx) {
        Form f = Form.of(ctx);
        String name = f.requiredString("name", 255);
        String id = f.optionalString("id", 255);
        String base = f.optionalString("base_model_id", 255);
        String seedBase = f.optionalString("base_model", 255);
        ObjectNode params = f.optionalObject("params");
        ObjectNode meta = f.optionalObject("meta");
        Boolean active = f.optionalBoolean("is_active");
        f.check();
        String modelId = id != null && !id.isBlank() ? id.trim() : name.trim();
        if (modelId.isEmpty()) {
            throw ApiException.invalid("name", "String should have at least 1 character", "string_too_short");
        }
        CustomModel m = custom.create(Principal.of(ctx).user(),
                new CustomModelService.Form(modelId, base != null ? base : seedBase, name.trim(), params, meta, active));
        catalog.refresh();
        ctx.json(m);
    }

    private void customList(Context ctx) {
        int page = Query.page(ctx);
        List<CustomModel> all = custom.all();
        int from = Math.min(all.size(), (page - 1) * 30);
        ctx.json(Map.of("items", all.subList(from, Math.min(all.size(), from + 30)), "total", all.size()));
    }

    private void update(Context ctx) {
        Form f = Form.of(ctx);
        String id = f.optionalString("id", 255);
        String name = f.optionalString("name", 255);
        String base = f.optionalString("base_model_id", 255);
        ObjectNode params = f.optionalObject("params");
        ObjectNode meta = f.optionalObject("meta");
        Boolean active = f.optionalBoolean("is_active");
        f.check();
        String modelId = id != null ? id : idParam(ctx);
        CustomModel m = custom.update(new CustomModelService.Form(modelId, base, name, params, meta, active));
        catalog.refresh();
        ctx.json(m);
    }

    private void delete(Context ctx) {
        String id = ctx.queryParam("id");
        if (id == null) {
            Form f = Form.of(ctx);
            id = f.requiredString("id", 255);
            f.check();
        }
        boolean deleted = custom.delete(id);
        catalog.refresh();
        ctx.json(deleted);
    }

    private void updateOpenAi(Context ctx) {
        Form f = Form.of(ctx);
        Boolean enabled = f.optionalBoolean("ENABLE_OPENAI_API");
        List<String> urls = urls(f, "OPENAI_API_BASE_URLS", true);
        List<String> keys = urls(f, "OPENAI_API_KEYS", false);
        ObjectNode configs = f.optionalObject("OPENAI_API_CONFIGS");
        f.check();
        ctx.json(connections.updateOpenAi(enabled == null || enabled, urls, keys, configs));
        catalog.refresh();
    }

    private void updateOllama(Context ctx) {
        Form f = Form.of(ctx);
        Boolean enabled = f.optionalBoolean("ENABLE_OLLAMA_API");
        List<String> urls = urls(f, "OLLAMA_BASE_URLS", true);
        ObjectNode configs = f.optionalObject("OLLAMA_API_CONFIGS");
        f.check();
        ctx.json(connections.updateOllama(enabled == null || enabled, urls, configs));
        catalog.refresh();
    }

    /** A list of strings; for URL lists each must be http(s), trailing '/' dropped. */
    private static List<String> urls(Form f, String field, boolean mustBeUrls) {
        JsonNode node = f.raw().get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            if (mustBeUrls) {
                f.error(field, "Field required", "missing");
            }
            return out;
        }
        if (!node.isArray()) {
            f.error(field, "Input should be a valid list", "list_type");
            return out;
        }
        for (JsonNode item : node) {
            String s = item.isString() ? item.asString().trim() : null;
            if (s == null || (mustBeUrls && !s.matches("https?://[^\\s/]+(/.*)?"))) {
                f.error(field, mustBeUrls ? "Each item should be an http(s) URL" : "Each item should be a string", "value_error");
                return out;
            }
            out.add(mustBeUrls && s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }
        return out;
    }
}
