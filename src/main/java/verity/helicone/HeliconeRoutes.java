package verity.helicone;

import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.feedback.FeedbackForm;
import verity.feedback.FeedbackService;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;
import verity.http.Route;
import verity.requestlog.RequestAccess;
import verity.requestlog.RequestLogStore;

/**
 * Helicone's request API: thumbs feedback, scores and properties on logged requests, and the filter query.
 * Answers {@code {"data": ..., "error": null}}; unlike Helicone, problems are reported synchronously
 * (unknown request → 404, bad body → 400/422) in the same shape.
 */
public final class HeliconeRoutes {
    private static final String TAG = "helicone";
    private static final Map<String, Object> OK = new HashMap<>();

    static {
        OK.put("data", null);
        OK.put("error", null);
    }

    private final RequestAccess requests;
    private final RequestLogStore store;
    private final FeedbackService feedback;
    private final Clock clock;

    public HeliconeRoutes(RequestAccess requests, RequestLogStore store, FeedbackService feedback, Clock clock) {
        this.requests = requests;
        this.store = store;
        this.feedback = feedback;
        this.clock = clock;
    }

    public List<Route> routes() {
        return List.of(
                Route.at(POST, List.of("/v1/request/{id}/feedback"), USER, TAG,
                        "Thumbs up/down on a logged request; one current vote per voter, earlier votes kept in history", this::rate)
                        .body(Map.of("rating", "boolean")).withResultEnvelope(),
                Route.at(POST, List.of("/v1/request/{id}/score"), USER, TAG, "Numeric or boolean scores on a logged request", this::score)
                        .body(Map.of("scores", "object")).withResultEnvelope(),
                Route.at(PUT, List.of("/v1/request/{id}/property"), USER, TAG, "Set a property on a logged request", this::property)
                        .body(Map.of("key", "string", "value", "string")).withResultEnvelope(),
                Route.at(POST, List.of("/v1/request/query"), USER, TAG,
                        "Logged requests matching Helicone's filter tree, with sort, limit (≤ 1000) and offset", this::query)
                        .body(Map.of("filter", "object", "sort", "object?", "limit", "integer?", "offset", "integer?")).withResultEnvelope());
    }

    private void rate(Context ctx) {
        Form f = Form.of(ctx);
        Boolean rating = f.optionalBoolean("rating");
        if (!f.has("rating")) {
            f.error("rating", "Field required", "missing");
        }
        f.check();
        Principal caller = Principal.of(ctx);
        Map<String, Object> request = requests.visible(caller, ctx.pathParam("id"));
        ObjectNode data = Json.object();
        data.put("rating", rating ? 1 : -1);
        data.put("model_id", RequestAccess.modelOf(request));
        feedback.upsertForRequest(caller.user(), (String) request.get("id"),
                new FeedbackForm("rating", data, meta(request, "helicone"), null));
        ctx.json(OK);
    }

    private void score(Context ctx) {
        Form f = Form.of(ctx);
        ObjectNode scores = f.requiredObject("scores");
        f.check();
        if (scores.isEmpty() || scores.size() > 100) {
            throw ApiException.invalid("scores", "Give between 1 and 100 scores", "value_error");
        }
        for (Map.Entry<String, JsonNode> s : scores.properties()) {
            if (s.getKey().isBlank() || s.getKey().length() > 255) {
                throw ApiException.invalid("scores", "Score names must have 1 to 255 characters", "value_error");
            }
            if (!s.getValue().isNumber() && !s.getValue().isBoolean() || s.getValue().isNumber() && !Double.isFinite(s.getValue().asDouble())) {
                throw ApiException.invalid("scores", "Score '" + s.getKey() + "' must be a number or a boolean", "value_error");
            }
        }
        Principal caller = Principal.of(ctx);
        Map<String, Object> request = requests.visible(caller, ctx.pathParam("id"));
        String requestId = (String) request.get("id");
        long now = clock.instant().getEpochSecond();
        scores.properties().forEach(s -> store.setScore(requestId, s.getKey(),
                s.getValue().isBoolean() ? (s.getValue().asBoolean() ? 1 : 0) : s.getValue().asDouble(),
                s.getValue().isBoolean() ? "boolean" : "number", now));
        ObjectNode data = Json.object();
        data.put("model_id", RequestAccess.modelOf(request));
        data.set("scores", Json.MAPPER.valueToTree(store.scores(requestId)));
        feedback.upsertForRequest(caller.user(), requestId, new FeedbackForm("score", data, meta(request, "helicone"), null));
        ctx.status(201).json(OK);
    }

    private void property(Context ctx) {
        Form f = Form.of(ctx);
        String key = f.requiredString("key", 255);
        String value = f.requiredString("value", 10_000);
        f.check();
        if (key.isBlank()) {
            throw ApiException.invalid("key", "String should have at least 1 character", "string_too_short");
        }
        Map<String, Object> request = requests.visible(Principal.of(ctx), ctx.pathParam("id"));
        store.setProperty((String) request.get("id"), key.toLowerCase(java.util.Locale.ROOT), value);
        ctx.json(OK);
    }

    private void query(Context ctx) {
        Form f = Form.of(ctx);
        HeliconeQuery.Compiled q = HeliconeQuery.compile(f.raw());
        Principal caller = Principal.of(ctx);
        List<Map<String, Object>> rows = store.query(q.where(), q.whereParams(), q.orderBy(), q.orderParams(),
                caller.isAdmin() ? null : caller.userId(), q.limit(), q.offset());
        Map<String, Object> body = new HashMap<>(OK);
        body.put("data", rows.stream().map(this::heliconeRequest).toList());
        ctx.json(body);
    }

    /** Helicone's HeliconeRequest field names over a request-log row. */
    private Map<String, Object> heliconeRequest(Map<String, Object> r) {
        Map<String, Object> h = new java.util.LinkedHashMap<>();
        String id = (String) r.get("id");
        String created = java.time.Instant.ofEpochMilli((Long) r.get("created_at_ms")).toString();
        h.put("request_id", id);
        h.put("response_id", id);
        h.put("request_created_at", created);
        h.put("response_created_at", created);
        h.put("request_model", r.get("model"));
        h.put("response_model", r.get("selected_model_id") != null ? r.get("selected_model_id") : r.get("model"));
        h.put("model_override", r.get("selected_model_id"));
        h.put("request_path", r.get("path"));
        h.put("request_user_id", r.get("helicone_user_id") != null ? r.get("helicone_user_id") : r.get("user_id"));
        h.put("request_properties", store.properties(id));
        h.put("request_body", r.get("request_body"));
        h.put("response_body", r.get("response_body"));
        h.put("response_status", r.get("status"));
        h.put("delay_ms", r.get("latency_ms"));
        h.put("time_to_first_token", r.get("time_to_first_token_ms"));
        h.put("prompt_tokens", r.get("prompt_tokens"));
        h.put("completion_tokens", r.get("completion_tokens"));
        h.put("total_tokens", r.get("total_tokens"));
        h.put("provider", r.get("connection"));
        h.put("feedback_id", r.get("feedback_id"));
        h.put("feedback_rating", r.get("feedback_rating"));
        h.put("feedback_created_at", r.get("feedback_at") == null ? null
                : java.time.Instant.ofEpochSecond((Long) r.get("feedback_at")).toString());
        h.put("scores", store.scores(id));
        return h;
    }

    static ObjectNode meta(Map<String, Object> request, String source) {
        ObjectNode meta = Json.object();
        meta.put("request_id", (String) request.get("id"));
        meta.put("source", source);
        meta.put("model_id", (String) request.get("model"));
        return meta;
    }
}
