package verity.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** Shared helpers for the feedback and leaderboard API tests. */
public final class FeedbackFixtures {
    /** The seed path and Open WebUI's path of the evaluations API. */
    public static final List<String> PREFIXES = List.of("/api/evaluations", "/api/v1/evaluations");

    private FeedbackFixtures() {}

    /** An empty server with the standard admin, no rate limit, and the given clock. */
    public static TestServer freshServer(Db db, MutableClock clock) {
        return freshServer(db, clock, Map.of());
    }

    public static TestServer freshServer(Db db, MutableClock clock, Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL, "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD,
                "RATE_LIMIT_PER_MINUTE", "0"));
        env.putAll(extra);
        return TestServer.fresh(db, env, clock);
    }

    /** A new account with the given display name and role. */
    public static Api.Account addUser(TestServer server, String name, String role) {
        String email = "u" + name.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8)
                + "@verity.test";
        server.api.post("/api/auths/add", server.admin().token(), Map.of("name", name, "email", email,
                "password", "password-1", "role", role)).expect(200);
        return server.api.signin(email, "password-1");
    }

    /** A rating's data: model, rating (any JSON value), opponents (null leaves the key out) and optional tags. */
    public static Map<String, Object> data(String model, Object rating, List<String> siblings, String... tags) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("model_id", model);
        data.put("rating", rating);
        if (siblings != null) {
            data.put("sibling_model_ids", siblings);
        }
        if (tags.length > 0) {
            data.put("tags", Arrays.asList(tags));
        }
        return data;
    }

    /** A rating feedback body of type "rating". */
    public static Map<String, Object> rating(String model, Object rating, List<String> siblings, String... tags) {
        return Api.body("type", "rating", "data", data(model, rating, siblings, tags));
    }

    /** Posts {@code body} to {@code prefix}/feedback and returns the created feedback. */
    public static JsonNode create(Api api, String prefix, String token, Map<String, Object> body) {
        return api.post(prefix + "/feedback", token, body).expect(200).json();
    }

    public static JsonNode create(Api api, String token, Map<String, Object> body) {
        return create(api, PREFIXES.getFirst(), token, body);
    }

    /** The "id" of every element of a JSON array. */
    public static List<String> ids(Iterable<JsonNode> array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.get("id").asString());
        }
        return out;
    }

    /** The field names of an object, in order. */
    public static List<String> keys(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.propertyNames().forEach(out::add);
        return out;
    }

    public static void assertKeys(JsonNode object, String... expected) {
        assertEquals(List.of(expected).stream().sorted().toList(), keys(object).stream().sorted().toList(),
                () -> "keys of " + object);
    }

    /** Splits one CSV document (RFC 4180, CRLF or LF line ends) into rows of fields. */
    public static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }
}
