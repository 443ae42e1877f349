package verity.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.assertKeys;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.rating;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.TestServer;

/** Creating feedback and the author's own routes: get, update, history, delete, /feedbacks/user, DELETE /feedbacks. */
@ParameterizedClass
@EnumSource(Db.class)
class FeedbackApiTest {
    /** The seed doc's create example. */
    static final String SEED_BODY = """
            {
              "type": "comparison",
              "data": {
                "model_id": "gpt-4",
                "rating": "1",
                "sibling_model_ids": ["claude-3", "llama-3"],
                "tags": ["coding", "python", "helpful"]
              },
              "meta": {
                "context": "code generation task"
              }
            }""";

    @Parameter
    Db db;

    TestServer server;
    Api api;

    @BeforeEach
    void setUp() {
        server = TestServer.shared(db);
        api = server.api;
    }

    @Test
    void creating_the_seed_example_returns_the_stored_feedback_on_both_paths() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            long before = System.currentTimeMillis() / 1000;
            JsonNode f = api.postRaw(prefix + "/feedback", user.token(), SEED_BODY).expect(200).json();
            long after = System.currentTimeMillis() / 1000;
            assertKeys(f, "id", "user_id", "version", "type", "data", "meta", "snapshot", "created_at", "updated_at");
            assertFalse(f.get("id").asString().isBlank());
            assertEquals(user.id(), f.get("user_id").asString());
            assertEquals("comparison", f.get("type").asString());
            ObjectNode expected = (ObjectNode) Json.read(SEED_BODY).get("data");
            expected.putNull("reason");
            expected.putNull("comment");
            assertEquals(expected, f.get("data"), "data as sent plus explicit nulls for the absent rating keys");
            assertTrue(f.get("data").get("reason").isNull());
            assertEquals(Json.read("{\"context\": \"code generation task\"}"), f.get("meta"));
            assertTrue(f.get("snapshot").isNull());
            assertEquals(0, f.get("version").asInt());
            long created = f.get("created_at").asLong();
            assertTrue(created >= before && created <= after, "epoch seconds: " + created);
            assertEquals(created, f.get("updated_at").asLong());
            assertEquals(f, api.get(prefix + "/feedback/" + f.get("id").asString(), user.token()).expect(200).json());
        }
    }

    @Test
    void absent_rating_keys_are_stored_as_explicit_nulls_and_extras_are_kept() {
        Api.Account user = server.newUser("user");
        JsonNode f = create(api, user.token(), Api.body("type", "rating", "data", Map.of("details", Map.of("rating", 8))));
        for (String key : List.of("rating", "model_id", "sibling_model_ids", "reason", "comment")) {
            assertTrue(f.get("data").has(key) && f.get("data").get(key).isNull(), key);
        }
        assertEquals(8, f.get("data").get("details").get("rating").asInt());
        assertTrue(f.get("meta").isNull());
    }

    @Test
    void a_snapshot_is_echoed_when_given() {
        Api.Account user = server.newUser("user");
        Map<String, Object> snapshot = Map.of("chat", Map.of("id", "c1", "title", "Hello",
                "chat", Map.of("messages", List.of(Map.of("role", "user", "content", "hi")))));
        Map<String, Object> body = rating("m", 1, null);
        body.put("snapshot", snapshot);
        JsonNode f = create(api, user.token(), body);
        assertEquals(Json.read(Json.write(snapshot)), f.get("snapshot"));
        assertEquals(f.get("snapshot"), api.get("/api/evaluations/feedback/" + f.get("id").asString(), user.token())
                .expect(200).json().get("snapshot"));
    }

    @Test
    void the_rating_keeps_its_json_type() {
        Api.Account user = server.newUser("user");
        JsonNode string = create(api, user.token(), rating("m", "1", null)).get("data").get("rating");
        assertTrue(string.isString() && string.asString().equals("1"), string::toString);
        for (int value : new int[] {1, -1, 0, 7}) {
            JsonNode f = create(api, user.token(), rating("m", value, null));
            JsonNode r = f.get("data").get("rating");
            assertTrue(r.isIntegralNumber() && r.asInt() == value, r::toString);
            JsonNode again = api.get("/api/v1/evaluations/feedback/" + f.get("id").asString(), user.token())
                    .expect(200).json().get("data").get("rating");
            assertTrue(again.isIntegralNumber() && again.asInt() == value, again::toString);
        }
        JsonNode minus = create(api, user.token(), rating("m", "-1", null)).get("data").get("rating");
        assertTrue(minus.isString() && minus.asString().equals("-1"));
    }

    @Test
    void create_validates_the_body() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            String path = prefix + "/feedback";
            Api.Res noType = api.post(path, user.token(), Map.of("data", Map.of("rating", 1))).expectError(422);
            JsonNode err = noType.json().get("detail").get(0);
            assertEquals(Json.read("[\"body\", \"type\"]"), err.get("loc"));
            Api.Res noData = api.post(path, user.token(), Map.of("type", "rating")).expectError(422);
            assertEquals("data", noData.json().get("detail").get(0).get("loc").get(1).asString());
            for (Object data : List.of("thumbs up", List.of(1, 2), 5)) {
                Api.Res bad = api.post(path, user.token(), Map.of("type", "rating", "data", data)).expectError(422);
                assertEquals("data", bad.json().get("detail").get(0).get("loc").get(1).asString());
            }
            api.post(path, user.token(), Map.of("type", "rating", "data", Map.of(), "meta", "m")).expectError(422);
            api.post(path, user.token(), Map.of("type", "rating", "data", Map.of(), "meta", List.of())).expectError(422);
            api.post(path, user.token(), Map.of("type", 5, "data", Map.of())).expectError(422);
            api.post(path, user.token(), Map.of("type", List.of("rating"), "data", Map.of())).expectError(422);
            api.post(path, user.token(), Map.of("type", "rating", "data", Map.of(), "snapshot", "s")).expectError(422);
            api.postRaw(path, user.token(), "{\"type\": \"rating\", \"data\": {").expectError(400);
            api.postRaw(path, user.token(), "[]").expectError(422);
            api.postRaw(path, user.token(), "").expectError(422);
            api.postRaw(path, user.token(), " \r\n\t").expectError(422);
            byte[] latin1 = "{\"type\": \"rating\", \"data\": {\"comment\": \"caf\u00e9\"}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            assertTrue(api.postBytes(path, user.token(), latin1).expectError(400).json().get("detail").asString().contains("UTF-8"),
                    "a body that is not UTF-8 is malformed, not silently altered");
        }
        assertEquals(0, api.get("/api/evaluations/feedbacks/user", user.token()).expect(200).json().size());
    }

    @Test
    void an_oversized_body_is_refused_with_413() {
        try (TestServer small = TestServer.fresh(db, Map.of("WEBUI_ADMIN_EMAIL", TestServer.ADMIN_EMAIL,
                "WEBUI_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD, "MAX_BODY_SIZE", "64k"))) {
            Api.Account admin = small.admin();
            for (String prefix : PREFIXES) {
                Map<String, Object> big = rating("m", 1, null);
                big.put("snapshot", Map.of("chat", Map.of("blob", "x".repeat(200_000))));
                small.api.post(prefix + "/feedback", admin.token(), big).expectError(413);
                Map<String, Object> fits = rating("m", 1, null);
                fits.put("snapshot", Map.of("chat", Map.of("blob", "x".repeat(30_000))));
                small.api.post(prefix + "/feedback", admin.token(), fits).expect(200);
            }
            assertEquals(2, small.api.get("/api/evaluations/feedbacks/user", admin.token()).json().size());
        }
    }

    @Test
    void create_needs_a_verified_account() {
        Api.Account pending = server.newUser("pending");
        for (String prefix : PREFIXES) {
            api.post(prefix + "/feedback", null, rating("m", 1, null)).expectError(401);
            api.post(prefix + "/feedback", "not-a-token", rating("m", 1, null)).expectError(401);
            api.post(prefix + "/feedback", pending.token(), rating("m", 1, null)).expectError(403);
        }
    }

    @Test
    void only_the_author_or_an_admin_can_read_update_or_delete() {
        Api.Account author = server.newUser("user");
        Api.Account other = server.newUser("user");
        Api.Account admin = server.admin();
        for (String prefix : PREFIXES) {
            String id = create(api, prefix, author.token(), rating("m", 1, null)).get("id").asString();
            String path = prefix + "/feedback/" + id;
            api.get(path, author.token()).expect(200);
            api.get(path, other.token()).expectError(404);
            api.get(path + "/history", other.token()).expectError(404);
            api.post(path, other.token(), Map.of("data", Map.of("rating", -1))).expectError(404);
            api.delete(path, other.token()).expectError(404);
            assertEquals(author.id(), api.get(path, admin.token()).expect(200).json().get("user_id").asString());
            JsonNode byAdmin = api.post(path, admin.token(), Map.of("meta", Map.of("reviewed", true))).expect(200).json();
            assertEquals(author.id(), byAdmin.get("user_id").asString(), "an admin's update keeps the author");
            api.get(path + "/history", admin.token()).expect(200);
            api.get(path, null).expectError(401);
            assertEquals(1, api.get(path, author.token()).expect(200).json().get("data").get("rating").asInt(),
                    "the refused update changed nothing");
        }
        for (String prefix : PREFIXES) {
            String unknown = prefix + "/feedback/00000000-0000-0000-0000-000000000000";
            api.get(unknown, admin.token()).expectError(404);
            api.get(unknown + "/history", admin.token()).expectError(404);
            api.post(unknown, admin.token(), Map.of("type", "x")).expectError(404);
            api.delete(unknown, admin.token()).expectError(404);
        }
    }

    @Test
    void an_update_replaces_only_the_given_fields_and_keeps_the_history() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            Map<String, Object> body = rating("m1", 1, List.of("m2"), "t1");
            body.put("meta", Map.of("chat_id", "c1"));
            body.put("snapshot", Map.of("chat", Map.of("title", "t")));
            JsonNode v0 = create(api, prefix, user.token(), body);
            String path = prefix + "/feedback/" + v0.get("id").asString();

            JsonNode v1 = api.post(path, user.token(), Map.of("data", Map.of("model_id", "m1", "rating", -1, "comment", "meh")))
                    .expect(200).json();
            assertEquals(1, v1.get("version").asInt());
            assertEquals(-1, v1.get("data").get("rating").asInt());
            assertEquals("meh", v1.get("data").get("comment").asString());
            assertTrue(v1.get("data").get("sibling_model_ids").isNull(), "data is replaced wholesale, rating keys nulled");
            assertFalse(v1.get("data").has("tags"));
            assertEquals(v0.get("meta"), v1.get("meta"), "meta kept");
            assertEquals(v0.get("snapshot"), v1.get("snapshot"), "snapshot kept");
            assertEquals("rating", v1.get("type").asString(), "type kept");
            assertEquals(v0.get("created_at"), v1.get("created_at"));
            assertTrue(v1.get("updated_at").asLong() >= v0.get("updated_at").asLong());

            JsonNode v2 = api.post(path, user.token(), Map.of("type", "comparison", "meta", Map.of("chat_id", "c2")))
                    .expect(200).json();
            assertEquals(2, v2.get("version").asInt());
            assertEquals("comparison", v2.get("type").asString());
            assertEquals("c2", v2.get("meta").get("chat_id").asString());
            assertEquals(v1.get("data"), v2.get("data"), "data kept");
            assertEquals(v2, api.get(path, user.token()).expect(200).json());

            JsonNode history = api.get(path + "/history", user.token()).expect(200).json();
            assertEquals(2, history.size());
            assertEquals(1, history.get(0).get("version").asInt(), "newest first");
            assertEquals(v1.get("data"), history.get(0).get("data"));
            assertEquals(v1.get("meta"), history.get(0).get("meta"));
            assertEquals(0, history.get(1).get("version").asInt());
            assertEquals(v0.get("data"), history.get(1).get("data"));
            assertEquals(v0.get("snapshot"), history.get(1).get("snapshot"));
            assertEquals("rating", history.get(1).get("type").asString());

            api.post(path, user.token(), Map.of("data", "x")).expectError(422);
            api.post(path, user.token(), Map.of("type", 1)).expectError(422);
            api.postRaw(path, user.token(), "{").expectError(400);
            assertEquals(2, api.get(path, user.token()).json().get("version").asInt(), "refused updates keep the version");
        }
    }

    @Test
    void a_new_feedback_has_an_empty_history() {
        Api.Account user = server.newUser("user");
        String id = create(api, user.token(), rating("m", 1, null)).get("id").asString();
        for (String prefix : PREFIXES) {
            JsonNode history = api.get(prefix + "/feedback/" + id + "/history", user.token()).expect(200).json();
            assertTrue(history.isArray() && history.isEmpty());
        }
    }

    @Test
    void delete_answers_true_and_the_feedback_is_gone() {
        Api.Account user = server.newUser("user");
        for (String prefix : PREFIXES) {
            String id = create(api, prefix, user.token(), rating("m", 1, null)).get("id").asString();
            api.post(prefix + "/feedback/" + id, user.token(), Map.of("type", "again")).expect(200);
            Api.Res r = api.delete(prefix + "/feedback/" + id, user.token()).expect(200);
            assertTrue(r.json().isBoolean() && r.json().asBoolean());
            api.get(prefix + "/feedback/" + id, user.token()).expectError(404);
            api.get(prefix + "/feedback/" + id + "/history", user.token()).expectError(404);
            api.delete(prefix + "/feedback/" + id, user.token()).expectError(404);
        }
        Api.Account admin = server.admin();
        String id = create(api, user.token(), rating("m", 1, null)).get("id").asString();
        assertTrue(api.delete("/api/v1/evaluations/feedback/" + id, admin.token()).expect(200).json().asBoolean());
        api.get("/api/evaluations/feedback/" + id, user.token()).expectError(404);
    }

    @Test
    void own_feedback_lists_only_the_callers_entries_without_snapshots() {
        Api.Account me = server.newUser("user");
        Api.Account other = server.newUser("user");
        Map<String, Object> withSnapshot = rating("m", 1, null);
        withSnapshot.put("snapshot", Map.of("chat", Map.of("title", "x")));
        String a = create(api, me.token(), withSnapshot).get("id").asString();
        String b = create(api, me.token(), rating("m", -1, null)).get("id").asString();
        create(api, other.token(), rating("m", 1, null));
        for (String prefix : PREFIXES) {
            JsonNode list = api.get(prefix + "/feedbacks/user", me.token()).expect(200).json();
            assertTrue(list.isArray());
            assertEquals(List.of(a, b).stream().sorted().toList(), FeedbackFixtures.ids(list).stream().sorted().toList());
            for (JsonNode item : list) {
                assertFalse(item.has("snapshot"), "no snapshot in lists");
                assertEquals(me.id(), item.get("user_id").asString());
                assertTrue(item.get("data").isObject());
            }
            JsonNode page = api.get(prefix + "/feedbacks/user?page=1", me.token()).expect(200).json();
            assertKeys(page, "items", "total", "page", "pages");
            assertEquals(2, page.get("total").asInt());
            assertEquals(1, page.get("page").asInt());
            assertEquals(1, page.get("pages").asInt());
            assertEquals(2, page.get("items").size());
            JsonNode second = api.get(prefix + "/feedbacks/user?page=2", me.token()).expect(200).json();
            assertEquals(0, second.get("items").size());
            assertEquals(2, second.get("page").asInt());
            api.get(prefix + "/feedbacks/user?page=0", me.token()).expectError(422);
            api.get(prefix + "/feedbacks/user?page=x", me.token()).expectError(422);
            api.get(prefix + "/feedbacks/user", null).expectError(401);
        }
        Api.Account pending = server.newUser("pending");
        api.get("/api/evaluations/feedbacks/user", pending.token()).expectError(403);
    }

    @Test
    void deleting_own_feedback_spares_everyone_elses() {
        Api.Account me = server.newUser("user");
        Api.Account other = server.newUser("user");
        create(api, me.token(), rating("m", 1, null));
        create(api, me.token(), rating("m", 1, null));
        String kept = create(api, other.token(), rating("m", 1, null)).get("id").asString();
        Api.Res r = api.delete("/api/evaluations/feedbacks", me.token()).expect(200);
        assertTrue(r.json().isBoolean() && r.json().asBoolean());
        assertEquals(0, api.get("/api/evaluations/feedbacks/user", me.token()).json().size());
        Api.Res again = api.delete("/api/v1/evaluations/feedbacks", me.token()).expect(200);
        assertTrue(again.json().isBoolean() && !again.json().asBoolean(), "false when there was nothing to delete");
        api.get("/api/evaluations/feedback/" + kept, other.token()).expect(200);
        api.delete("/api/v1/evaluations/feedbacks", null).expectError(401);
    }

    @Test
    void deleting_a_user_removes_their_feedback() {
        Api.Account admin = server.admin();
        Api.Account user = server.newUser("user");
        String id = create(api, user.token(), rating("gone-model", 1, List.of("x"))).get("id").asString();
        api.post("/api/evaluations/feedback/" + id, user.token(), Map.of("type", "v1")).expect(200);
        api.delete("/api/users/" + user.id(), admin.token()).expect(200);
        api.get("/api/evaluations/feedback/" + id, admin.token()).expectError(404);
        JsonNode ids = api.get("/api/v1/evaluations/feedbacks/all/ids", admin.token()).expect(200).json();
        assertFalse(FeedbackFixtures.ids(ids).contains(id));
    }
}
