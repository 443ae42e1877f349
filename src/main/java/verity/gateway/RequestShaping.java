package verity.gateway;

import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;

/** Turns a client's chat request into the upstream request: custom-model parameters applied, web-client extras removed. */
final class RequestShaping {
    /** Open WebUI web-client fields that model servers do not understand. */
    private static final List<String> CLIENT_ONLY = List.of("files", "chat_id", "id", "session_id", "parent_id",
            "parent_message", "model_item", "tool_servers", "background_tasks", "features", "variables", "params",
            "tool_ids", "filter_ids");
    /** Custom-model parameters copied into the request when the request does not set them. */
    private static final List<String> PARAMS = List.of("temperature", "top_p", "max_tokens", "frequency_penalty",
            "presence_penalty", "seed", "stop", "top_k", "min_p", "repeat_penalty");

    private RequestShaping() {}

    /**
     * The request itself when nothing needs changing (so its bytes can be forwarded as they came), else a new
     * top-level object; nested values are shared with the request and never modified (the preset copies messages).
     */
    static ObjectNode forUpstream(ObjectNode request, ModelCatalog.Model model) {
        if (unchanged(request, model)) {
            return request;
        }
        ObjectNode body = Json.object();
        body.setAll(request);
        CLIENT_ONLY.forEach(body::remove);
        if (model.custom() != null) {
            applyPreset(body, Json.readObject(model.custom().params()));
        }
        body.put("model", model.upstreamId());
        return body;
    }

    /** Same model id, no preset, no web-client fields. */
    private static boolean unchanged(ObjectNode request, ModelCatalog.Model model) {
        if (model.custom() != null || !model.upstreamId().equals(request.path("model").asString(null))) {
            return false;
        }
        for (String field : CLIENT_ONLY) {
            if (request.has(field)) {
                return false;
            }
        }
        return true;
    }

    /** Request values win; the preset's system prompt goes first (prepended to an existing system message). */
    private static void applyPreset(ObjectNode body, ObjectNode params) {
        for (String p : PARAMS) {
            if (params.has(p) && !params.get(p).isNull() && !body.has(p)) {
                body.set(p, params.get(p));
            }
        }
        JsonNode system = params.get("system");
        if (system == null || !system.isString() || system.asString().isBlank()) {
            return;
        }
        ArrayNode messages = body.path("messages") instanceof ArrayNode a ? a.deepCopy() : Json.MAPPER.createArrayNode();
        body.set("messages", messages);
        if (!messages.isEmpty() && messages.get(0) instanceof ObjectNode first && "system".equals(first.path("role").asString(""))
                && first.path("content").isString()) {
            first.put("content", system.asString() + "\n" + first.get("content").asString());
        } else {
            ObjectNode sys = Json.object();
            sys.put("role", "system");
            sys.put("content", system.asString());
            messages.insert(0, sys);
        }
    }
}
