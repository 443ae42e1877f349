package verity.helicone;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import verity.db.Like;
import verity.http.ApiException;

/**
 * Helicone's request filter tree ({@code left}/{@code operator}/{@code right} branches, {@code "all"}, and
 * leaves {@code {table: {column: {operator: value}}}}) compiled to a SQL condition over the request log
 * {@code r}. Columns and operators come from fixed tables; every value is a bound parameter.
 */
final class HeliconeQuery {
    static final int MAX_LIMIT = 1000;
    static final int MAX_OFFSET = 10_000;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_LEAVES = 200;

    enum Type { TEXT, NUMBER, BOOLEAN, TIMESTAMP_MS, TIMESTAMP_S }

    private record Column(String sql, Type type) {}

    private static final Map<String, Map<String, Column>> TABLES = Map.of(
            "request", Map.of(
                    "id", new Column("r.id", Type.TEXT),
                    "created_at", new Column("r.created_at_ms", Type.TIMESTAMP_MS),
                    "user_id", new Column("COALESCE(r.helicone_user_id, r.user_id)", Type.TEXT),
                    "model", new Column("r.model", Type.TEXT),
                    "path", new Column("r.path", Type.TEXT),
                    "prompt", new Column("r.request_body", Type.TEXT)),
            "response", Map.of(
                    "status", new Column("r.status", Type.NUMBER),
                    "model", new Column("COALESCE(r.selected_model_id, r.model)", Type.TEXT),
                    "body_model", new Column("COALESCE(r.selected_model_id, r.model)", Type.TEXT),
                    "body_completion", new Column("r.response_body", Type.TEXT),
                    "body_tokens", new Column("r.completion_tokens", Type.NUMBER)),
            "feedback", Map.of(
                    "id", new Column("fb.id", Type.TEXT),
                    "created_at", new Column("fb.created_at", Type.TIMESTAMP_S),
                    "rating", new Column("fb.rating", Type.BOOLEAN),
                    "response_id", new Column("fb.request_id", Type.TEXT)),
            "request_response_rmt", Map.ofEntries(
                    Map.entry("latency", new Column("r.latency_ms", Type.NUMBER)),
                    Map.entry("status", new Column("r.status", Type.NUMBER)),
                    Map.entry("request_created_at", new Column("r.created_at_ms", Type.TIMESTAMP_MS)),
                    Map.entry("model", new Column("COALESCE(r.selected_model_id, r.model)", Type.TEXT)),
                    Map.entry("user_id", new Column("COALESCE(r.helicone_user_id, r.user_id)", Type.TEXT)),
                    Map.entry("request_id", new Column("r.id", Type.TEXT)),
                    Map.entry("prompt_tokens", new Column("r.prompt_tokens", Type.NUMBER)),
                    Map.entry("completion_tokens", new Column("r.completion_tokens", Type.NUMBER)),
                    Map.entry("total_tokens", new Column("r.total_tokens", Type.NUMBER)),
                    Map.entry("time_to_first_token", new Column("r.ttft_ms", Type.NUMBER)),
                    Map.entry("request_body", new Column("r.request_body", Type.TEXT)),
                    Map.entry("response_body", new Column("r.response_body", Type.TEXT))));

    private static final Map<String, String> SORTS = Map.of(
            "created_at", "r.created_at_ms", "latency", "r.latency_ms", "total_tokens", "r.total_tokens",
            "completion_tokens", "r.completion_tokens", "prompt_tokens", "r.prompt_tokens",
            "user_id", "COALESCE(r.helicone_user_id, r.user_id)", "body_model", "COALESCE(r.selected_model_id, r.model)",
            "status", "r.status");

    private final List<Object> params = new ArrayList<>();
    private int leaves;

    /** The compiled condition, ORDER BY, and paging. */
    record Compiled(String where, List<Object> whereParams, String orderBy, List<Object> orderParams, int limit, int offset) {}

    static Compiled compile(JsonNode body) {
        HeliconeQuery q = new HeliconeQuery();
        JsonNode filter = body.has("filter") ? body.get("filter") : body.path("filter");
        String where = filter.isMissingNode() || filter.isNull() ? "1=1" : q.node(filter, 0);
        int whereCount = q.params.size();
        String orderBy = q.sort(body.path("sort"));
        int limit = intIn(body.path("limit"), 10, 0, MAX_LIMIT, "limit");
        int offset = intIn(body.path("offset"), 0, 0, MAX_OFFSET, "offset");
        return new Compiled(where, List.copyOf(q.params.subList(0, whereCount)), orderBy,
                List.copyOf(q.params.subList(whereCount, q.params.size())), limit, offset);
    }

    private String node(JsonNode n, int depth) {
        if (depth > MAX_DEPTH) {
            throw invalid("filter is nested too deeply (at most " + MAX_DEPTH + " levels)");
        }
        if (n.isString()) {
            if (n.asString().equals("all")) {
                return "1=1";
            }
            throw invalid("unknown filter '" + n.asString() + "'; use \"all\" or an object");
        }
        if (!n.isObject()) {
            throw invalid("a filter node must be \"all\", a branch {left, operator, right} or a leaf {table: {column: {operator: value}}}");
        }
        if (n.has("operator") || n.has("left") || n.has("right")) {
            String op = n.path("operator").asString("");
            if (!op.equals("and") && !op.equals("or")) {
                throw invalid("branch operator must be 'and' or 'or'");
            }
            if (!n.has("left") || !n.has("right")) {
                throw invalid("a branch needs both 'left' and 'right'");
            }
            return "(" + node(n.get("left"), depth + 1) + " " + op.toUpperCase(Locale.ROOT) + " " + node(n.get("right"), depth + 1) + ")";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> table : n.properties()) {
            parts.add(table(table.getKey(), table.getValue()));
        }
        if (parts.isEmpty()) {
            throw invalid("an empty leaf; use \"all\" to match everything");
        }
        return parts.size() == 1 ? parts.getFirst() : "(" + String.join(" AND ", parts) + ")";
    }

    private String table(String table, JsonNode columns) {
        if (!columns.isObject() || columns.isEmpty()) {
            throw invalid("filter on '" + table + "' needs {column: {operator: value}}");
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> c : columns.properties()) {
            parts.add(column(table, c.getKey(), c.getValue()));
        }
        return String.join(" AND ", parts);
    }

    private String column(String table, String column, JsonNode condition) {
        if (++leaves > MAX_LEAVES) {
            throw invalid("too many conditions (at most " + MAX_LEAVES + ")");
        }
        if (column.equals("properties") && table.equals("request_response_rmt") || table.equals("properties")) {
            return keyed(table.equals("properties") ? Map.of(column, condition) : fields(condition),
                    "EXISTS (SELECT 1 FROM request_properties p WHERE p.request_id = r.id AND p.prop_key = ? AND ",
                    "p.value", Type.TEXT);
        }
        if (column.equals("scores") && table.equals("request_response_rmt")) {
            return keyed(fields(condition), "EXISTS (SELECT 1 FROM request_scores s WHERE s.request_id = r.id AND s.score_key = ? AND ",
                    "s.value", Type.NUMBER);
        }
        Map<String, Column> columns = TABLES.get(table);
        if (columns == null) {
            throw invalid("unknown table '" + table + "'; use request, response, feedback, properties or request_response_rmt");
        }
        Column col = columns.get(column);
        if (col == null) {
            throw invalid("unknown column '" + table + "." + column + "'");
        }
        String cond = condition(col.sql(), col.type(), condition);
        return table.equals("feedback")
                ? "EXISTS (SELECT 1 FROM feedback fb WHERE fb.request_id = r.id AND fb.type = 'rating' AND " + cond + ")"
                : cond;
    }

    private static Map<String, JsonNode> fields(JsonNode n) {
        if (!n.isObject()) {
            throw invalid("properties and scores filters need {key: {operator: value}}");
        }
        Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        n.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private String keyed(Map<String, JsonNode> byKey, String exists, String valueSql, Type type) {
        List<String> parts = new ArrayList<>();
        byKey.forEach((key, condition) -> {
            params.add(key.toLowerCase(Locale.ROOT));
            parts.add(exists + condition(valueSql, type, condition) + ")");
        });
        return String.join(" AND ", parts);
    }

    /** Only the first operator of a column counts, as in Helicone. */
    private String condition(String sql, Type type, JsonNode condition) {
        Iterator<Map.Entry<String, JsonNode>> it = condition.isObject() ? condition.properties().iterator() : null;
        if (it == null || !it.hasNext()) {
            throw invalid("a condition must be {operator: value}");
        }
        Map.Entry<String, JsonNode> e = it.next();
        String op = e.getKey();
        JsonNode v = e.getValue();
        if ((op.equals("equals") || op.equals("not-equals")) && v.isString() && v.asString().equals("null")) {
            return sql + (op.equals("equals") ? " IS NULL" : " IS NOT NULL");
        }
        return switch (type) {
            case TEXT -> text(sql, op, v);
            case NUMBER -> compare(sql, op, number(v, op), true);
            case BOOLEAN -> {
                if (!op.equals("equals") || !v.isBoolean()) {
                    throw invalid("boolean columns take only {\"equals\": true|false}");
                }
                params.add(v.asBoolean() ? "1" : "-1");
                yield sql + " = ?";
            }
            case TIMESTAMP_MS, TIMESTAMP_S -> {
                long ms = timestamp(v);
                yield compare(sql, op, type == Type.TIMESTAMP_MS ? ms : Math.floorDiv(ms, 1000), false);
            }
        };
    }

    private String text(String sql, String op, JsonNode v) {
        if (!v.isString()) {
            throw invalid("text operator '" + op + "' needs a string value");
        }
        String s = v.asString();
        switch (op) {
            case "equals" -> params.add(s);
            case "not-equals" -> params.add(s);
            case "like" -> params.add(s);
            case "ilike" -> params.add(s.toLowerCase(Locale.ROOT));
            case "contains", "not-contains" -> params.add(Like.contains(s));
            default -> throw invalid("unknown text operator '" + op + "'; use equals, not-equals, like, ilike, contains or not-contains");
        }
        return switch (op) {
            case "equals" -> sql + " = ?";
            case "not-equals" -> "(" + sql + " IS NULL OR " + sql + " <> ?)";
            case "like" -> sql + " LIKE ?";
            case "ilike" -> "LOWER(" + sql + ") LIKE ?";
            case "contains" -> "LOWER(" + sql + ") LIKE ? ESCAPE '\\'";
            default -> "(" + sql + " IS NULL OR LOWER(" + sql + ") NOT LIKE ? ESCAPE '\\')";
        };
    }

    private String compare(String sql, String op, Object value, boolean equalityAllowed) {
        String symbol = switch (op) {
            case "gte" -> ">=";
            case "lte" -> "<=";
            case "gt" -> ">";
            case "lt" -> "<";
            case "equals" -> equalityAllowed ? "=" : null;
            case "not-equals" -> equalityAllowed ? "<>" : null;
            default -> null;
        };
        if (symbol == null) {
            throw invalid("operator '" + op + "' does not apply here; use " + (equalityAllowed ? "equals, not-equals, " : "") + "gte, lte, gt or lt");
        }
        params.add(value);
        return sql + " " + symbol + " ?";
    }

    private static double number(JsonNode v, String op) {
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isString()) {
            try {
                return Double.parseDouble(v.asString());
            } catch (NumberFormatException ignored) {
                // fall through
            }
        }
        throw invalid("number operator '" + op + "' needs a number");
    }

    private static long timestamp(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        String s = v.asString("");
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (DateTimeParseException e1) {
            try {
                return OffsetDateTime.parse(s).toInstant().toEpochMilli();
            } catch (DateTimeParseException e2) {
                try {
                    return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
                } catch (DateTimeParseException e3) {
                    throw invalid("timestamps must be ISO-8601, e.g. 2025-01-01T00:00:00Z");
                }
            }
        }
    }

    private String sort(JsonNode sort) {
        if (sort.isMissingNode() || sort.isNull() || sort.isEmpty()) {
            return " ORDER BY r.created_at_ms DESC, r.id DESC";
        }
        if (!sort.isObject()) {
            throw invalid("sort must be an object such as {\"created_at\": \"desc\"}");
        }
        Map.Entry<String, JsonNode> first = sort.properties().iterator().next();
        if (first.getKey().equals("properties")) {
            Map.Entry<String, JsonNode> prop = first.getValue().isObject() && !first.getValue().isEmpty()
                    ? first.getValue().properties().iterator().next() : null;
            if (prop == null) {
                throw invalid("sort on properties needs {\"properties\": {key: \"asc\"|\"desc\"}}");
            }
            params.add(prop.getKey().toLowerCase(Locale.ROOT));
            return " ORDER BY (SELECT p.value FROM request_properties p WHERE p.request_id = r.id AND p.prop_key = ?) "
                    + direction(prop.getValue()) + ", r.id";
        }
        String column = SORTS.get(first.getKey());
        if (column == null) {
            throw invalid("cannot sort by '" + first.getKey() + "'; use one of " + String.join(", ", SORTS.keySet().stream().sorted().toList()) + " or properties");
        }
        return " ORDER BY " + column + " " + direction(first.getValue()) + ", r.id";
    }

    private static String direction(JsonNode v) {
        String d = v.asString("").toLowerCase(Locale.ROOT);
        if (!d.equals("asc") && !d.equals("desc")) {
            throw invalid("sort direction must be 'asc' or 'desc'");
        }
        return d.toUpperCase(Locale.ROOT);
    }

    private static int intIn(JsonNode v, int fallback, int min, int max, String name) {
        if (v.isMissingNode() || v.isNull()) {
            return fallback;
        }
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw invalid(name + " must be an integer from " + min + " to " + max);
        }
        return v.asInt();
    }

    static ApiException invalid(String message) {
        return new ApiException(422, message);
    }
}
