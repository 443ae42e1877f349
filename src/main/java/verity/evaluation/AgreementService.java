package verity.evaluation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import verity.evaluation.rating.Agreement;
import verity.evaluation.rating.Annotation;
import verity.feedback.FeedbackRow;
import verity.feedback.FeedbackService;
import verity.http.Json;

/**
 * Inter-annotator agreement on thumbs ratings. An item is a logged request, or a chat message for Open WebUI
 * ratings; an annotator is Cohere's {@code annotator_id} when given, else the account. When an annotator rated
 * an item more than once, the latest rating counts.
 */
public final class AgreementService {
    private static final List<String> TYPES = List.of("rating", "edit", "flag");
    private final FeedbackService feedback;

    public AgreementService(FeedbackService feedback) {
        this.feedback = feedback;
    }

    public Map<String, Object> agreement(Long from, Long to, int disputedLimit) {
        Map<String, String> latest = new LinkedHashMap<>();
        feedback.forEachRow(TYPES, from, to, null, false, row -> {
            String item = item(row);
            String label = label(Json.readObject(row.data()).get("rating"));
            if (item != null && label != null) {
                latest.put(item + "\u0000" + annotator(row), label);
            }
        });
        List<Annotation> annotations = new ArrayList<>();
        Set<String> items = new HashSet<>();
        Set<String> annotators = new HashSet<>();
        latest.forEach((key, label) -> {
            String[] parts = key.split("\u0000", 2);
            annotations.add(new Annotation(parts[0], parts[1], label));
            items.add(parts[0]);
            annotators.add(parts[1]);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.size());
        body.put("annotators", annotators.size());
        body.put("ratings", annotations.size());
        body.put("fleiss", Agreement.fleiss(annotations));
        body.put("cohen", Agreement.cohenPairs(annotations));
        body.put("most_disputed", Agreement.mostDisputed(annotations, disputedLimit));
        return body;
    }

    private static String item(FeedbackRow row) {
        if (row.requestId() != null) {
            return "request:" + row.requestId();
        }
        JsonNode meta = Json.readObject(row.meta());
        String chat = meta.path("chat_id").asString(null);
        String message = meta.path("message_id").asString(null);
        return chat != null && message != null ? "message:" + chat + "/" + message : null;
    }

    private static String annotator(FeedbackRow row) {
        JsonNode data = Json.readObject(row.data());
        return data.path("annotator_id").isString() && !data.get("annotator_id").asString().isBlank()
                ? "annotator:" + data.get("annotator_id").asString() : "user:" + row.userId();
    }

    private static String label(JsonNode rating) {
        if (rating == null || rating.isNull()) {
            return null;
        }
        String s = rating.isIntegralNumber() ? rating.bigIntegerValue().toString() : rating.asString("");
        return s.equals("1") ? "up" : s.equals("-1") ? "down" : null;
    }
}
