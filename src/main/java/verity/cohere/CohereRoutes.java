package verity.cohere;

import static io.javalin.http.HandlerType.POST;
import static verity.http.Access.USER;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.auth.Principal;
import verity.feedback.Feedback;
import verity.feedback.FeedbackForm;
import verity.feedback.FeedbackService;
import verity.requestlog.RequestAccess;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;
import verity.http.Route;

/**
 * Cohere's feedback API over the request log. A generate feedback becomes one feedback entry whose type says
 * what the annotator did: {@code edit} (a desired response was given), {@code flag} (flagged), else
 * {@code rating}; a preference feedback becomes one {@code preference} entry over several requests.
 */
public final class CohereRoutes {
    private static final String TAG = "cohere";
    private final RequestAccess requests;
    private final FeedbackService feedback;

    public CohereRoutes(RequestAccess requests, FeedbackService feedback) {
        this.requests = requests;
        this.feedback = feedback;
    }

    public List<Route> routes() {
        return List.of(
                Route.at(POST, List.of("/v1/feedback/generate"), USER, TAG,
                        "Feedback on one generation: good or not, an edited (desired) response, a flag", this::generate)
                        .body(Map.of("request_id", "string", "good_response", "boolean", "desired_response", "string?",
                                "flagged_response", "boolean?", "flagged_reason", "string?", "prompt", "string?",
                                "annotator_id", "string?", "model", "string?")),
                Route.at(POST, List.of("/v1/feedback/generate/preference"), USER, TAG,
                        "Ranked preference over several generations: ratings [{request_id, rating, generation}]", this::preference)
                        .body(Map.of("ratings", "array", "prompt", "string?", "annotator_id", "string?", "model", "string?")));
    }

    private void generate(Context ctx) {
        Form f = Form.of(ctx);
        String requestId = f.requiredString("request_id", 64);
        Boolean good = f.optionalBoolean("good_response");
        if (!f.has("good_response")) {
            f.error("good_response", "Field required", "missing");
        }
        String desired = f.optionalString("desired_response", 1 << 20);
        Boolean flagged = f.optionalBoolean("flagged_response");
        String reason = f.optionalString("flagged_reason", 10_000);
        String prompt = f.optionalString("prompt", 1 << 20);
        String annotator = f.optionalString("annotator_id", 255);
        String model = f.optionalString("model", 255);
        f.check();
        Principal caller = Principal.of(ctx);
        Map<String, Object> request = requests.visible(caller, requestId);
        ObjectNode data = Json.object();
        data.put("rating", good ? 1 : -1);
        data.put("model_id", model != null ? model : RequestAccess.modelOf(request));
        data.put("good_response", good);
        if (desired != null) {
            data.put("desired_response", desired);
        }
        if (flagged != null) {
            data.put("flagged", flagged);
        }
        if (reason != null) {
            data.put("reason", reason);
        }
        if (prompt != null) {
            data.put("prompt", prompt);
        }
        if (annotator != null) {
            data.put("annotator_id", annotator);
        }
        String type = desired != null ? "edit" : Boolean.TRUE.equals(flagged) ? "flag" : "rating";
        Feedback created = feedback.create(caller.user(), new FeedbackForm(type, data, meta(requestId, List.of(requestId)), null), requestId);
        ctx.json(Map.of("id", created.id()));
    }

    private void preference(Context ctx) {
        Form f = Form.of(ctx);
        JsonNode ratings = f.raw().get("ratings");
        String prompt = f.optionalString("prompt", 1 << 20);
        String annotator = f.optionalString("annotator_id", 255);
        String model = f.optionalString("model", 255);
        if (ratings == null || !ratings.isArray() || ratings.isEmpty() || ratings.size() > 100) {
            f.error("ratings", "Input should be a list of 1 to 100 ratings", ratings == null ? "missing" : "list_type");
        }
        f.check();
        Principal caller = Principal.of(ctx);
        ArrayNode resolved = Json.MAPPER.createArrayNode();
        Set<String> requestIds = new LinkedHashSet<>();
        for (int i = 0; i < ratings.size(); i++) {
            JsonNode r = ratings.get(i);
            if (!(r instanceof ObjectNode o) || !o.path("request_id").isString() || !o.path("rating").isNumber()
                    || !Double.isFinite(o.path("rating").asDouble())) {
                throw ApiException.invalid(List.of(new ApiException.FieldError(List.of("body", "ratings", Integer.toString(i)),
                        "Each rating needs a string request_id and a numeric rating", "value_error")));
            }
            Map<String, Object> request = requests.visible(caller, o.get("request_id").asString());
            ObjectNode item = Json.object();
            item.put("request_id", o.get("request_id").asString());
            item.set("rating", o.get("rating"));
            item.put("model_id", RequestAccess.modelOf(request));
            if (o.path("generation").isString()) {
                item.put("generation", o.get("generation").asString());
            }
            resolved.add(item);
            requestIds.add(o.get("request_id").asString());
        }
        ObjectNode data = Json.object();
        data.set("ratings", resolved);
        data.put("model_id", model);
        if (prompt != null) {
            data.put("prompt", prompt);
        }
        if (annotator != null) {
            data.put("annotator_id", annotator);
        }
        List<String> ids = new ArrayList<>(requestIds);
        Feedback created = feedback.create(caller.user(), new FeedbackForm("preference", data, meta(ids.getFirst(), ids), null), ids.getFirst());
        ctx.json(Map.of("id", created.id()));
    }

    private static ObjectNode meta(String requestId, List<String> requestIds) {
        ObjectNode meta = Json.object();
        meta.put("request_id", requestId);
        ArrayNode all = meta.putArray("request_ids");
        requestIds.forEach(all::add);
        meta.put("source", "cohere");
        return meta;
    }
}
