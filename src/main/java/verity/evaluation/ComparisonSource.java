package verity.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import verity.evaluation.rating.Comparison;
import verity.evaluation.rating.Outcome;
import verity.feedback.FeedbackRow;
import verity.feedback.FeedbackService;
import verity.http.Json;

/**
 * Pairwise comparisons derived from every kind of feedback (the mapping is documented in docs/EVALUATION.md):
 * Open WebUI ratings with siblings (arena feedback included), Cohere preference ratings, and explicit
 * side-by-side comparisons.
 */
public final class ComparisonSource {
    static final List<String> TYPES = List.of("rating", "preference", "comparison");

    private final FeedbackService feedback;

    public ComparisonSource(FeedbackService feedback) {
        this.feedback = feedback;
    }

    /** Which comparisons to use; null fields do not filter. Tags and judges compare case-insensitively for tags only. */
    public record Filter(String tag, Long from, Long to, String judge, Set<String> excludeModels) {}

    public List<Comparison> load(Filter filter) {
        List<Comparison> out = new ArrayList<>();
        feedback.forEachRow(TYPES, filter.from(), filter.to(), null, false, row -> {
            for (Comparison c : derive(row)) {
                if (keep(c, filter)) {
                    out.add(c);
                }
            }
        });
        return out;
    }

    private static boolean keep(Comparison c, Filter f) {
        if (f.excludeModels() != null && (f.excludeModels().contains(c.modelA()) || f.excludeModels().contains(c.modelB()))) {
            return false;
        }
        if (f.judge() != null && !f.judge().equals(c.judge())) {
            return false;
        }
        return f.tag() == null || c.tags().stream().anyMatch(t -> t.toLowerCase(Locale.ROOT).equals(f.tag().toLowerCase(Locale.ROOT)));
    }

    static List<Comparison> derive(FeedbackRow row) {
        JsonNode data = Json.readObject(row.data());
        List<String> tags = strings(data.path("tags"));
        List<Comparison> out = new ArrayList<>();
        switch (row.type()) {
            case "rating" -> {
                // As Open WebUI reads them: "1" beats every sibling, "-1" loses to every sibling.
                String model = data.path("model_id").asString(null);
                String rating = pythonStr(data.get("rating"));
                if (model == null || !(rating.equals("1") || rating.equals("-1"))) {
                    return out;
                }
                for (String sibling : strings(data.path("sibling_model_ids"))) {
                    if (!sibling.equals(model)) {
                        out.add(new Comparison(model, sibling, rating.equals("1") ? Outcome.A_WINS : Outcome.B_WINS,
                                row.userId(), row.createdAt(), tags));
                    }
                }
            }
            case "preference" -> {
                // Cohere: every two rated generations of different models; the higher rating wins, equal is a tie.
                String judge = data.path("annotator_id").isString() ? data.get("annotator_id").asString() : row.userId();
                List<JsonNode> ratings = new ArrayList<>();
                data.path("ratings").forEach(ratings::add);
                for (int i = 0; i < ratings.size(); i++) {
                    for (int j = i + 1; j < ratings.size(); j++) {
                        String a = ratings.get(i).path("model_id").asString(null);
                        String b = ratings.get(j).path("model_id").asString(null);
                        if (a == null || b == null || a.equals(b)) {
                            continue;
                        }
                        double ra = ratings.get(i).path("rating").asDouble();
                        double rb = ratings.get(j).path("rating").asDouble();
                        Outcome o = ra > rb ? Outcome.A_WINS : ra < rb ? Outcome.B_WINS : Outcome.TIE;
                        out.add(new Comparison(a, b, o, judge, row.createdAt(), tags));
                    }
                }
            }
            case "comparison" -> {
                String a = data.path("model_a").asString(null);
                String b = data.path("model_b").asString(null);
                Outcome o = switch (data.path("winner").asString("")) {
                    case "a" -> Outcome.A_WINS;
                    case "b" -> Outcome.B_WINS;
                    case "tie" -> Outcome.TIE;
                    case "both_bad" -> Outcome.BOTH_BAD;
                    default -> null;
                };
                if (a != null && b != null && !a.equals(b) && o != null) {
                    out.add(new Comparison(a, b, o, row.userId(), row.createdAt(), tags));
                }
            }
            default -> { }
        }
        return out;
    }

    private static String pythonStr(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isIntegralNumber() ? v.bigIntegerValue().toString() : v.isString() ? v.asString() : "";
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            if (n.isString() && !n.asString().isEmpty()) {
                out.add(n.asString());
            }
        });
        return out;
    }
}
