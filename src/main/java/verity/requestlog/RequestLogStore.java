package verity.requestlog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import verity.db.Database;
import verity.http.Json;

/** SQL for the request log and its properties and scores. */
public final class RequestLogStore {
    static final String SUMMARY = "r.id, r.user_id, r.model, r.selected_model_id, r.connection, r.path, r.stream, r.status, "
            + "r.error, r.latency_ms, r.ttft_ms, r.prompt_tokens, r.completion_tokens, r.total_tokens, r.properties, "
            + "r.helicone_user_id, r.created_at, r.created_at_ms";

    private final Database db;

    public RequestLogStore(Database db) {
        this.db = db;
    }

    private static final String INSERT = """
            INSERT INTO request_log (id, user_id, model, selected_model_id, connection, path, stream, request_body,
                response_body, status, error, latency_ms, ttft_ms, prompt_tokens, completion_tokens, total_tokens,
                properties, helicone_user_id, created_at, created_at_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String SET_PROPERTY = "INSERT INTO request_properties (request_id, prop_key, value) VALUES (?, ?, ?) "
            + "ON CONFLICT (request_id, prop_key) DO UPDATE SET value = excluded.value";

    /** Saves records in one transaction, each table's rows through one prepared statement. */
    void insert(List<RequestRecord> batch) {
        List<Object[]> rows = new java.util.ArrayList<>(batch.size());
        List<Object[]> properties = new java.util.ArrayList<>();
        for (RequestRecord r : batch) {
            rows.add(new Object[] {r.id(), r.userId(), r.model(), r.selectedModelId(), r.connection(), r.path(), r.stream(),
                    r.requestBody(), r.responseBody(), r.status(), r.error(), r.latencyMs(), r.ttftMs(),
                    r.promptTokens(), r.completionTokens(), r.totalTokens(), Json.write(r.properties()),
                    r.heliconeUserId(), r.createdAtMs() / 1000, r.createdAtMs()});
            for (Map.Entry<String, String> p : r.properties().entrySet()) {
                properties.add(new Object[] {r.id(), p.getKey(), p.getValue()});
            }
        }
        db.inTransaction(() -> {
            db.batch(INSERT, rows);
            db.batch(SET_PROPERTY, properties);
            return null;
        });
    }

    public void setProperty(String requestId, String key, String value) {
        db.update(SET_PROPERTY, requestId, key, value);
    }

    /** A logged request without bodies, if it exists. */
    public Optional<Map<String, Object>> summary(String id) {
        return db.one("SELECT " + SUMMARY + " FROM request_log r WHERE r.id = ?", rs -> row(rs, false), id);
    }

    /**
     * Requests matching a condition compiled from a filter language (only fixed SQL with bound values), in
     * Helicone's request shape; {@code userId} (non-null) limits the result to one owner.
     */
    public List<Map<String, Object>> query(String where, List<Object> whereParams, String orderBy, List<Object> orderParams,
                                           String userId, int limit, int offset) {
        List<Object> params = new ArrayList<>(whereParams);
        String owner = "";
        if (userId != null) {
            owner = " AND r.user_id = ?";
            params.add(userId);
        }
        params.addAll(orderParams);
        params.add(limit);
        params.add(offset);
        String latestRating = "(SELECT fb.%s FROM feedback fb WHERE fb.request_id = r.id AND fb.type = 'rating' "
                + "ORDER BY fb.updated_at DESC, fb.id DESC LIMIT 1)";
        return db.query("SELECT " + SUMMARY + ", r.request_body, r.response_body, "
                        + latestRating.formatted("id") + " AS feedback_id, " + latestRating.formatted("rating") + " AS feedback_rating, "
                        + latestRating.formatted("updated_at") + " AS feedback_at FROM request_log r WHERE (" + where + ")" + owner
                        + orderBy + " LIMIT ? OFFSET ?",
                rs -> {
                    Map<String, Object> m = row(rs, true);
                    m.put("feedback_id", rs.getString("feedback_id"));
                    String rating = rs.getString("feedback_rating");
                    m.put("feedback_rating", rating == null ? null : "1".equals(rating));
                    m.put("feedback_at", Database.nullableLong(rs, "feedback_at"));
                    return m;
                }, params.toArray());
    }

    /** The owner of a logged request, if it exists. */
    public Optional<String> owner(String id) {
        return db.one("SELECT COALESCE(user_id, '') FROM request_log WHERE id = ?", rs -> rs.getString(1), id);
    }

    /** A logged request with bodies, properties and scores, as a JSON-ready map. */
    public Optional<Map<String, Object>> find(String id) {
        return db.one("SELECT " + SUMMARY + ", r.request_body, r.response_body FROM request_log r WHERE r.id = ?",
                rs -> row(rs, true), id).map(row -> {
                    row.put("properties", properties(id));
                    row.put("scores", scores(id));
                    return row;
                });
    }

    public List<Map<String, Object>> page(String userId, String model, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + SUMMARY + " FROM request_log r WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (userId != null) {
            sql.append(" AND r.user_id = ?");
            params.add(userId);
        }
        if (model != null) {
            sql.append(" AND r.model = ?");
            params.add(model);
        }
        sql.append(" ORDER BY r.created_at_ms DESC, r.id DESC LIMIT ? OFFSET ?");
        params.add(limit);
        params.add(offset);
        return db.query(sql.toString(), rs -> row(rs, false), params.toArray());
    }

    public long count(String userId, String model) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM request_log r WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (userId != null) {
            sql.append(" AND r.user_id = ?");
            params.add(userId);
        }
        if (model != null) {
            sql.append(" AND r.model = ?");
            params.add(model);
        }
        return db.count(sql.toString(), params.toArray());
    }

    static Map<String, Object> row(ResultSet rs, boolean bodies) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", rs.getString("id"));
        m.put("user_id", rs.getString("user_id"));
        m.put("model", rs.getString("model"));
        m.put("selected_model_id", rs.getString("selected_model_id"));
        m.put("connection", rs.getString("connection"));
        m.put("path", rs.getString("path"));
        m.put("stream", rs.getBoolean("stream"));
        m.put("status", rs.getInt("status"));
        m.put("error", rs.getString("error"));
        m.put("latency_ms", rs.getLong("latency_ms"));
        m.put("time_to_first_token_ms", Database.nullableLong(rs, "ttft_ms"));
        m.put("prompt_tokens", Database.nullableLong(rs, "prompt_tokens"));
        m.put("completion_tokens", Database.nullableLong(rs, "completion_tokens"));
        m.put("total_tokens", Database.nullableLong(rs, "total_tokens"));
        m.put("properties", Json.read(rs.getString("properties")));
        m.put("helicone_user_id", rs.getString("helicone_user_id"));
        m.put("created_at", rs.getLong("created_at"));
        m.put("created_at_ms", rs.getLong("created_at_ms"));
        if (bodies) {
            m.put("request_body", jsonOrText(rs.getString("request_body")));
            m.put("response_body", jsonOrText(rs.getString("response_body")));
        }
        return m;
    }

    private static Object jsonOrText(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.read(s);
        } catch (RuntimeException notJson) {
            return s;
        }
    }

    public Map<String, String> properties(String id) {
        Map<String, String> props = new LinkedHashMap<>();
        db.query("SELECT prop_key, value FROM request_properties WHERE request_id = ? ORDER BY prop_key", rs -> {
            props.put(rs.getString(1), rs.getString(2));
            return null;
        }, id);
        return props;
    }

    public Map<String, Object> scores(String id) {
        Map<String, Object> scores = new LinkedHashMap<>();
        db.query("SELECT score_key, value, value_type FROM request_scores WHERE request_id = ? ORDER BY score_key", rs -> {
            double v = rs.getDouble(2);
            scores.put(rs.getString(1), "boolean".equals(rs.getString(3)) ? (Object) (v != 0) : (Object) v);
            return null;
        }, id);
        return scores;
    }

    public void setScore(String requestId, String key, double value, String type, long now) {
        db.update("INSERT INTO request_scores (request_id, score_key, value, value_type, updated_at) VALUES (?, ?, ?, ?, ?) "
                + "ON CONFLICT (request_id, score_key) DO UPDATE SET value = excluded.value, value_type = excluded.value_type, "
                + "updated_at = excluded.updated_at", requestId, key, value, type, now);
    }
}
