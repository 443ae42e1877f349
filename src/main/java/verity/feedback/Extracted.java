package verity.feedback;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fields of {@code data} that lists, filters and leaderboards use, pulled out once at write time.
 * {@code rating} is Python's {@code str(data.rating)}, which is what Open WebUI compares ("1", "-1").
 */
record Extracted(String modelId, String rating, Double ratingNum, List<String> siblings, List<String> tags) {
    /** The model_id, sibling and tag columns are VARCHAR(255). */
    static final int MAX_ID = 255;

    /** Why {@code data.model_id} cannot be stored in its column (too long, or a NUL), or null when it can. */
    static String modelIdProblem(ObjectNode data) {
        JsonNode model = data.get("model_id");
        if (model == null || !model.isString()) {
            return null;
        }
        if (model.asString().length() > MAX_ID) {
            return "String should have at most " + MAX_ID + " characters";
        }
        return model.asString().indexOf('\u0000') >= 0 ? "String should not contain NUL characters" : null;
    }

    static Extracted from(ObjectNode data) {
        JsonNode model = data.get("model_id");
        JsonNode rating = data.get("rating");
        return new Extracted(
                model != null && model.isString() ? model.asString() : null,
                pythonStr(rating),
                numeric(rating),
                strings(data.get("sibling_model_ids"), false),
                strings(data.get("tags"), true));
    }

    private static String pythonStr(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isString()) {
            // PostgreSQL text cannot hold U+0000; such a rating is no "1"/"-1" anyway, so it is not indexed.
            return v.asString().indexOf('\u0000') >= 0 ? null : truncate(v.asString());
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        if (v.isIntegralNumber()) {
            return truncate(v.bigIntegerValue().toString());
        }
        if (v.isNumber()) {
            double d = v.asDouble();
            // Truncated like strings: 1e300 would otherwise be a 302-character text in a VARCHAR(32) column.
            return truncate(d == Math.rint(d) && !Double.isInfinite(d) ? BigDecimal.valueOf(d).setScale(1).toPlainString() : Double.toString(d));
        }
        return null;
    }

    private static String truncate(String s) {
        return s.length() > 32 ? s.substring(0, 32) : s;
    }

    private static Double numeric(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isString()) {
            try {
                double d = Double.parseDouble(v.asString().trim());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** String items of a JSON array, in order (optionally without duplicates), each at most 255 chars. */
    private static List<String> strings(JsonNode v, boolean distinct) {
        if (v == null || !v.isArray()) {
            return List.of();
        }
        java.util.Collection<String> out = distinct ? new LinkedHashSet<String>() : new ArrayList<String>();
        for (JsonNode item : v) {
            if (item.isString() && !item.asString().isEmpty() && item.asString().length() <= MAX_ID
                    && item.asString().indexOf('\u0000') < 0) {
                out.add(item.asString());
            }
        }
        return List.copyOf(out);
    }
}
