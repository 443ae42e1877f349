package verity.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.assertKeys;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.ids;
import static verity.feedback.FeedbackFixtures.rating;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** The admin-only feedback routes: /feedbacks/all, /all/ids, /all/export, DELETE /feedbacks/all, /feedbacks/models. */
@ParameterizedClass
@EnumSource(Db.class)
class FeedbackAdminApiTest {
    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    Api.Account admin;
    Api.Account alice;
    Api.Account bob;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin();
        alice = addUser(server, "Alice", "user");
        bob = addUser(server, "Bob", "user");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void tick() {
        clock.advance(Duration.ofSeconds(1));
    }

    /** f1 by Alice (with snapshot), f2 by Bob, f3 by Alice, then f1 updated last: newest update first is f1, f3, f2. */
    private List<JsonNode> threeFeedbacks() {
        Map<String, Object> first = rating("model-b", 1, List.of("model-a"), "code");
        first.put("snapshot", Map.of("chat", Map.of("title", "first chat")));
        first.put("meta", Map.of("chat_id", "c1"));
        JsonNode f1 = create(api, alice.token(), first);
        tick();
        JsonNode f2 = create(api, bob.token(), rating("model-a", "-1", List.of("model-b")));
        tick();
        JsonNode f3 = create(api, alice.token(), rating("model-c", 1, null));
        tick();
        f1 = api.post("/api/evaluations/feedback/" + f1.get("id").asString(), alice.token(),
                Map.of("meta", Map.of("chat_id", "c1", "edited", true))).expect(200).json();
        return List.of(f1, f2, f3);
    }

    @Test
    void all_lists_everyone_s_feedback_with_the_author_and_without_snapshots() {
        List<JsonNode> f = threeFeedbacks();
        for (String prefix : PREFIXES) {
            JsonNode all = api.get(prefix + "/feedbacks/all", admin.token()).expect(200).json();
            assertEquals(ids(List.of(f.get(0), f.get(2), f.get(1))), ids(all), "newest update first");
            for (JsonNode item : all) {
                assertKeys(item, "id", "user_id", "version", "type", "data", "meta", "created_at", "updated_at", "user");
                assertKeys(item.get("user"), "id", "name", "email", "role", "last_active_at", "updated_at", "created_at");
                assertEquals(item.get("user_id"), item.get("user").get("id"));
            }
            JsonNode first = all.get(0);
            assertEquals("Alice", first.get("user").get("name").asString());
            assertEquals(alice.email(), first.get("user").get("email").asString());
            assertEquals("user", first.get("user").get("role").asString());
            assertEquals(f.get(0).get("data"), first.get("data"));
            assertEquals(f.get(0).get("meta"), first.get("meta"));
            assertEquals(1, first.get("version").asInt());
            assertEquals("Bob", all.get(2).get("user").get("name").asString());
        }
    }

    @Test
    void all_ids_gives_id_author_and_timestamps_only() {
        List<JsonNode> f = threeFeedbacks();
        for (String prefix : PREFIXES) {
            JsonNode rows = api.get(prefix + "/feedbacks/all/ids", admin.token()).expect(200).json();
            assertEquals(ids(List.of(f.get(0), f.get(2), f.get(1))), ids(rows));
            for (int i = 0; i < rows.size(); i++) {
                assertKeys(rows.get(i), "id", "user_id", "created_at", "updated_at");
            }
            JsonNode first = rows.get(0);
            assertEquals(alice.id(), first.get("user_id").asString());
            assertEquals(f.get(0).get("created_at"), first.get("created_at"));
            assertEquals(f.get(0).get("updated_at"), first.get("updated_at"));
            assertTrue(first.get("updated_at").asLong() > first.get("created_at").asLong());
        }
    }

    @Test
    void export_gives_the_full_feedback_with_snapshots_as_json_and_jsonl() {
        List<JsonNode> f = threeFeedbacks();
        for (String prefix : PREFIXES) {
            Api.Res json = api.get(prefix + "/feedbacks/all/export", admin.token()).expect(200);
            assertTrue(json.header("Content-Type").startsWith("application/json"));
            JsonNode rows = json.json();
            assertTrue(rows.isArray());
            assertEquals(ids(List.of(f.get(0), f.get(2), f.get(1))), ids(rows));
            for (JsonNode row : rows) {
                assertKeys(row, "id", "user_id", "version", "type", "data", "meta", "snapshot", "created_at", "updated_at");
                assertEquals(api.get(prefix + "/feedback/" + row.get("id").asString(), admin.token()).json(), row);
            }
            assertEquals("first chat", rows.get(0).get("snapshot").get("chat").get("title").asString());
            assertTrue(rows.get(1).get("snapshot").isNull());
            assertEquals(rows, api.get(prefix + "/feedbacks/all/export?format=json", admin.token()).expect(200).json());

            Api.Res jsonl = api.get(prefix + "/feedbacks/all/export?format=jsonl", admin.token()).expect(200);
            List<String> lines = jsonl.body().lines().filter(l -> !l.isBlank()).toList();
            assertEquals(3, lines.size(), jsonl::body);
            for (int i = 0; i < lines.size(); i++) {
                assertEquals(rows.get(i), Json.read(lines.get(i)), "one JSON object per line");
            }
            api.get(prefix + "/feedbacks/all/export?format=xml", admin.token()).expectError(422);
        }
    }

    @Test
    void csv_export_quotes_json_columns_and_defuses_formula_looking_values() {
        Map<String, Object> body = Api.body("type", "=cmd", "data",
                Map.of("model_id", "m, \"quoted\"", "rating", 1, "comment", "=SUM(A1)"), "meta", Map.of("a", 1, "b", "x,y"));
        JsonNode f = create(api, alice.token(), body);
        for (String prefix : PREFIXES) {
            Api.Res csv = api.get(prefix + "/feedbacks/all/export?format=csv", admin.token()).expect(200);
            assertTrue(csv.header("Content-Type").startsWith("text/csv"), csv.header("Content-Type"));
            List<List<String>> rows = FeedbackFixtures.parseCsv(csv.body());
            assertEquals(List.of("id", "user_id", "user_name", "user_email", "type", "model_id", "rating", "version",
                    "created_at", "updated_at", "data", "meta"), rows.get(0));
            assertEquals(2, rows.size(), csv::body);
            List<String> row = rows.get(1);
            assertEquals(f.get("id").asString(), row.get(0));
            assertEquals(alice.id(), row.get(1));
            assertEquals("Alice", row.get(2));
            assertEquals(alice.email(), row.get(3));
            assertEquals("'=cmd", row.get(4), "a formula-looking type is prefixed with '");
            assertEquals("m, \"quoted\"", row.get(5));
            assertEquals("1", row.get(6));
            assertEquals("0", row.get(7));
            assertEquals(String.valueOf(f.get("created_at").asLong()), row.get(8));
            assertEquals(f.get("data"), Json.read(row.get(10)), "data is JSON in one column");
            assertEquals("=SUM(A1)", Json.read(row.get(10)).get("comment").asString());
            assertEquals(f.get("meta"), Json.read(row.get(11)));
            assertTrue(csv.body().contains("\"{"), "JSON columns are quoted");
            assertTrue(csv.header("Content-Disposition").contains("attachment"), csv.header("Content-Disposition"));
        }
    }

    @Test
    void csv_export_defuses_names_and_model_ids_but_not_negative_numbers() {
        Api.Account evil = addUser(server, "@SUM(1+1)", "user");
        create(api, evil.token(), Api.body("type", "rating", "data", Map.of("model_id", "-cmd", "rating", "-1")));
        List<List<String>> rows = FeedbackFixtures.parseCsv(api.get("/api/v1/evaluations/feedbacks/all/export?format=csv",
                admin.token()).expect(200).body());
        List<String> row = rows.get(1);
        assertEquals("'@SUM(1+1)", row.get(2));
        assertEquals("'-cmd", row.get(5));
        assertEquals("-1", row.get(6), "a negative rating stays a number");
    }

    @Test
    void deleting_all_feedback_answers_true_then_false() {
        List<JsonNode> f = threeFeedbacks();
        for (int i = 0; i < PREFIXES.size(); i++) {
            String prefix = PREFIXES.get(i);
            if (i > 0) {
                create(api, bob.token(), rating("m", 1, null));
            }
            Api.Res r = api.delete(prefix + "/feedbacks/all", admin.token()).expect(200);
            assertTrue(r.json().isBoolean() && r.json().asBoolean());
            assertEquals(0, api.get(prefix + "/feedbacks/all", admin.token()).expect(200).json().size());
            assertEquals(0, api.get(prefix + "/feedbacks/list", admin.token()).expect(200).json().get("total").asInt());
            Api.Res again = api.delete(prefix + "/feedbacks/all", admin.token()).expect(200);
            assertTrue(again.json().isBoolean() && !again.json().asBoolean());
        }
        api.get("/api/evaluations/feedback/" + f.get(0).get("id").asString(), alice.token()).expectError(404);
        api.get("/api/evaluations/feedback/" + f.get(0).get("id").asString() + "/history", admin.token()).expectError(404);
    }

    @Test
    void models_lists_distinct_rated_model_ids_sorted() {
        assertEquals(Json.read("[]"), api.get("/api/evaluations/feedbacks/models", admin.token()).expect(200).json());
        create(api, alice.token(), rating("zeta", 1, List.of("alpha")));
        create(api, bob.token(), rating("beta", -1, null));
        create(api, bob.token(), rating("zeta", "1", null));
        create(api, bob.token(), Api.body("type", "rating", "data", Map.of("rating", 1)));
        for (String prefix : PREFIXES) {
            JsonNode models = api.get(prefix + "/feedbacks/models", admin.token()).expect(200).json();
            assertEquals(Json.read("[\"beta\", \"zeta\"]"), models, "distinct data.model_id values, sorted");
        }
    }

    @Test
    void admin_routes_refuse_users_and_anonymous_callers() {
        create(api, alice.token(), rating("m", 1, null));
        Api.Account pending = addUser(server, "Pat", "pending");
        List<String> gets = List.of("/feedbacks/all", "/feedbacks/all/ids", "/feedbacks/all/export",
                "/feedbacks/all/export?format=csv", "/feedbacks/list", "/feedbacks/models");
        for (String prefix : PREFIXES) {
            for (String path : gets) {
                api.get(prefix + path, alice.token()).expectError(403);
                api.get(prefix + path, pending.token()).expectError(403);
                api.get(prefix + path, null).expectError(401);
            }
            api.delete(prefix + "/feedbacks/all", alice.token()).expectError(403);
            api.delete(prefix + "/feedbacks/all", null).expectError(401);
        }
        assertEquals(1, api.get("/api/evaluations/feedbacks/all", admin.token()).json().size(), "nothing was deleted");
    }

    @Test
    void an_admin_s_own_feedback_lists_work_like_anyone_elses() {
        JsonNode mine = create(api, admin.token(), rating("m", 1, null));
        create(api, alice.token(), rating("m", 1, null));
        List<String> own = new ArrayList<>(ids(api.get("/api/v1/evaluations/feedbacks/user", admin.token()).expect(200).json()));
        assertEquals(List.of(mine.get("id").asString()), own);
        assertTrue(api.delete("/api/evaluations/feedbacks", admin.token()).expect(200).json().asBoolean());
        assertEquals(1, api.get("/api/evaluations/feedbacks/all", admin.token()).json().size());
        assertFalse(api.delete("/api/evaluations/feedbacks", admin.token()).expect(200).json().asBoolean());
    }
}
