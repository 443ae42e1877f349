package verity.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.ApiException;
import verity.http.Form;
import verity.http.Json;

/** An explicit side-by-side judgement: which of two models' answers was better, a tie, or both bad. */
record ComparisonForm(String modelA, String modelB, String winner, String prompt, List<String> requestIds, List<String> tags) {
    static final Set<String> WINNERS = Set.of("a", "b", "tie", "both_bad");

    static ComparisonForm parse(Form f) {
        String a = f.requiredString("model_a", 255);
        String b = f.requiredString("model_b", 255);
        String winner = f.requiredString("winner", 16);
        String prompt = f.optionalString("prompt", 1 << 20);
        List<String> requestIds = strings(f, "request_ids", 2, 64);
        List<String> tags = strings(f, "tags", 20, 255);
        f.check();
        if (a.isBlank() || b.isBlank() || a.equals(b)) {
            throw ApiException.invalid("model_b", "model_a and model_b must be two different, non-empty model ids", "value_error");
        }
        if (!WINNERS.contains(winner)) {
            throw ApiException.invalid("winner", "Input should be 'a', 'b', 'tie' or 'both_bad'", "enum");
        }
        return new ComparisonForm(a, b, winner, prompt, requestIds, tags);
    }

    private static List<String> strings(Form f, String field, int max, int maxLength) {
        JsonNode node = f.raw().get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray() || node.size() > max) {
            f.error(field, "Input should be a list of at most " + max + " strings", "list_type");
            return out;
        }
        for (JsonNode item : node) {
            if (!item.isString() || item.asString().isBlank() || item.asString().length() > maxLength) {
                f.error(field, "Each item should be a non-empty string of at most " + maxLength + " characters", "string_type");
                return out;
            }
            out.add(item.asString());
        }
        return out;
    }

    /** The feedback data: the comparison plus model_id (model A) so feedback filters and tags apply. */
    ObjectNode data() {
        ObjectNode data = Json.object();
        data.put("model_a", modelA);
        data.put("model_b", modelB);
        data.put("winner", winner);
        data.put("model_id", modelA);
        if (prompt != null) {
            data.put("prompt", prompt);
        }
        ArrayNode ids = data.putArray("request_ids");
        requestIds.forEach(ids::add);
        ArrayNode t = data.putArray("tags");
        tags.forEach(t::add);
        return data;
    }
}
