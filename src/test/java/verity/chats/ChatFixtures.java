package verity.chats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;

/** Small helpers shared by the chat API tests. */
final class ChatFixtures {
    /** The seed path and Open WebUI's path of every chat route. */
    static final List<String> PREFIXES = List.of("/api/chats", "/api/v1/chats");

    private ChatFixtures() {}

    /** A chat object with a title and one user message. */
    static String chat(String title, String content) {
        return Json.write(Api.body("title", title, "models", List.of("model-a"),
                "messages", List.of(Api.body("id", "m1", "role", "user", "content", content))));
    }

    /** {"chat": chatJson} as raw text, so the chat goes out exactly as written. */
    static String wrap(String chatJson) {
        return "{\"chat\":" + chatJson + "}";
    }

    static Api.Res create(Api api, String token, String chatJson) {
        return api.postRaw("/api/chats/new", token, wrap(chatJson)).expect(200);
    }

    static String createId(Api api, String token, String title, String content) {
        return create(api, token, chat(title, content)).json().get("id").asString();
    }

    static Api.Res update(Api api, String token, String id, String chatJson) {
        return api.postRaw("/api/chats/" + id, token, wrap(chatJson));
    }

    /** A request with a JSON body on a method the harness has no shortcut for (DELETE with a body). */
    static Api.Res send(Api api, String method, String path, String token, Object body) {
        return api.send(method, path, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                body instanceof String s ? s : Json.write(body));
    }

    static List<String> ids(JsonNode array) {
        assertTrue(array.isArray(), () -> "not an array: " + array);
        List<String> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.get("id").asString()));
        return ids;
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /** Tree equality that reports the first difference instead of printing megabytes. */
    static void assertSameTree(JsonNode expected, JsonNode actual) {
        // the expected tree was built in Java: parse its text so numbers get the node types a reader gives them
        String diff = firstDifference("$", Json.read(Json.write(expected)), actual);
        assertTrue(diff == null, () -> "JSON differs at " + diff);
    }

    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b ? null : path + " (missing)";
        }
        if (a.isObject() && b.isObject()) {
            if (!Set.copyOf(a.propertyNames()).equals(Set.copyOf(b.propertyNames()))) {
                return path + " keys " + a.propertyNames() + " vs " + b.propertyNames();
            }
            for (String k : a.propertyNames()) {
                String d = firstDifference(path + "." + k, a.get(k), b.get(k));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return path + " size " + a.size() + " vs " + b.size();
            }
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return a.equals(b) ? null : path + ": " + abbreviate(a) + " vs " + abbreviate(b);
    }

    private static String abbreviate(JsonNode n) {
        String s = n.getClass().getSimpleName() + " " + n;
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
