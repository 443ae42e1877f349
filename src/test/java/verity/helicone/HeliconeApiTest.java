package verity.helicone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.gateway.Gateway;
import verity.support.Api;
import verity.support.Db;

/** Helicone's request API over requests relayed by Verity: feedback, scores, properties and the query language. */
@ParameterizedClass
@EnumSource(Db.class)
class HeliconeApiTest {
    @Parameter
    Db db;

    Gateway gw;
    String user;

    @BeforeEach
    void setUp() {
        gw = Gateway.start(db);
        user = gw.user();
    }

    @AfterEach
    void tearDown() {
        gw.close();
    }

    /** A completion as {@code token}; returns its request id (the Helicone-Id header). */
    private String complete(String token, String model, String... headers) {
        Api.Res r = gw.post("/api/chat/completions", token, Gateway.chat(model, "hello"), headers).expect(200);
        return r.header("Helicone-Id");
    }

    private static void ok(Api.Res r) {
        assertTrue(r.json().has("data") && r.json().get("data").isNull(), r.body());
        assertTrue(r.json().get("error").isNull(), r.body());
    }

    private static void failed(Api.Res r, int status) {
        r.expectError(status);
        assertTrue(r.json().get("data").isNull() && r.json().get("error").isString(), r.body());
    }

    @Test
    void a_vote_is_one_current_feedback_per_voter_and_keeps_its_history() {
        String id = complete(user, "gpt-fake");
        ok(gw.api.post("/v1/request/" + id + "/feedback", user, Map.of("rating", true)).expect(200));
        ok(gw.api.post("/v1/request/" + id + "/feedback", user, Map.of("rating", false)).expect(200));
        JsonNode mine = gw.api.get("/api/evaluations/feedbacks/user", user).expect(200).json();
        assertEquals(1, mine.size(), "one current vote");
        JsonNode vote = mine.get(0);
        assertEquals("rating", vote.get("type").asString());
        assertEquals(-1, vote.get("data").get("rating").asInt());
        assertEquals("gpt-fake", vote.get("data").get("model_id").asString());
        assertEquals(id, vote.get("meta").get("request_id").asString());
        assertEquals(1, vote.get("version").asInt());
        JsonNode history = gw.api.get("/api/evaluations/feedback/" + vote.get("id").asString() + "/history", user).expect(200).json();
        assertEquals(1, history.get(0).get("data").get("rating").asInt(), "the earlier vote is kept");
        String admin = gw.admin();
        ok(gw.api.post("/v1/request/" + id + "/feedback", admin, Map.of("rating", true)).expect(200));
        assertEquals(2, gw.api.get("/api/evaluations/feedbacks/all", admin).expect(200).json().size(), "another voter, another vote");
    }

    @Test
    void bad_votes_are_refused_at_once_in_the_result_shape() {
        String id = complete(user, "gpt-fake");
        failed(gw.api.post("/v1/request/" + id + "/feedback", user, Map.of("rating", "yes")), 422);
        failed(gw.api.post("/v1/request/" + id + "/feedback", user, Map.of()), 422);
        failed(gw.api.postRaw("/v1/request/" + id + "/feedback", user, "{nope"), 400);
        failed(gw.api.post("/v1/request/00000000-0000-4000-8000-000000000000/feedback", user, Map.of("rating", true)), 404);
        failed(gw.api.post("/v1/request/" + id + "/feedback", gw.user(), Map.of("rating", true)), 404);
        gw.api.post("/v1/request/" + id + "/feedback", null, Map.of("rating", true)).expectError(401);
        gw.api.post("/v1/request/" + id + "/feedback", gw.server.newUser("pending").token(), Map.of("rating", true)).expectError(403);
    }

    @Test
    void scores_and_properties_attach_to_the_logged_request() {
        String id = complete(user, "gpt-fake");
        Api.Res scored = gw.api.post("/v1/request/" + id + "/score", user, Map.of("scores", Map.of("accuracy", 0.75, "helpful", true)));
        assertEquals(201, scored.status(), scored.body());
        ok(scored);
        gw.api.post("/v1/request/" + id + "/score", user, Map.of("scores", Map.of("accuracy", 0.5))).expect(201);
        ok(gw.api.send("PUT", "/v1/request/" + id + "/property", Map.of("Authorization", "Bearer " + user,
                "Content-Type", "application/json"), "{\"key\": \"Env\", \"value\": \"prod\"}").expect(200));
        JsonNode logged = gw.logged(id, user);
        assertEquals(0.5, logged.get("scores").get("accuracy").asDouble(), "last write wins");
        assertTrue(logged.get("scores").get("helpful").asBoolean());
        assertEquals("prod", logged.get("properties").get("env").asString());
        failed(gw.api.post("/v1/request/" + id + "/score", user, Map.of("scores", Map.of("x", "high"))), 422);
        failed(gw.api.post("/v1/request/" + id + "/score", user, Map.of("scores", Map.of())), 422);
        failed(gw.api.send("PUT", "/v1/request/" + id + "/property", Map.of("Authorization", "Bearer " + user,
                "Content-Type", "application/json"), "{\"key\": \"k\"}"), 422);
    }

    @Test
    void the_query_language_filters_sorts_and_pages_over_own_requests() {
        String a = complete(user, "gpt-fake", "Helicone-Property-Feature", "chat", "Helicone-User-Id", "alice");
        String b = complete(user, "echo", "Helicone-Property-Feature", "search");
        complete(gw.user(), "gpt-fake", "Helicone-Property-Feature", "chat");
        gw.api.post("/v1/request/" + a + "/feedback", user, Map.of("rating", false)).expect(200);
        gw.api.post("/v1/request/" + b + "/feedback", user, Map.of("rating", true)).expect(200);

        JsonNode all = gw.api.post("/v1/request/query", user, Map.of("filter", "all", "limit", 100)).expect(200).json();
        assertTrue(all.get("error").isNull());
        assertEquals(2, all.get("data").size(), "a user sees only their own requests");

        JsonNode negative = gw.api.post("/v1/request/query", user, Map.of("filter",
                Map.of("left", Map.of("feedback", Map.of("rating", Map.of("equals", false))), "operator", "and",
                        "right", Map.of("properties", Map.of("feature", Map.of("equals", "chat")))))).expect(200).json();
        assertEquals(1, negative.get("data").size());
        JsonNode row = negative.get("data").get(0);
        assertEquals(a, row.get("request_id").asString());
        assertEquals("alice", row.get("request_user_id").asString());
        assertEquals(false, row.get("feedback_rating").asBoolean());
        assertEquals("chat", row.get("request_properties").get("feature").asString());
        assertEquals(200, row.get("response_status").asInt());
        assertTrue(row.get("delay_ms").asLong() >= 0);

        JsonNode echo = gw.api.post("/v1/request/query", user, Map.of("filter",
                Map.of("request", Map.of("model", Map.of("contains", "ECH"))))).expect(200).json();
        assertEquals(b, echo.get("data").get(0).get("request_id").asString());

        JsonNode sorted = gw.api.post("/v1/request/query", user, Map.of("filter", "all", "sort", Map.of("created_at", "asc"),
                "limit", 1, "offset", 1)).expect(200).json();
        assertEquals(b, sorted.get("data").get(0).get("request_id").asString());
        assertEquals(3, gw.api.post("/v1/request/query", gw.admin(), Map.of("filter", "all")).expect(200).json().get("data").size(),
                "admins see every request");
        failed(gw.api.post("/v1/request/query", user, Map.of("filter", Map.of("request", Map.of("nope", Map.of("equals", "x"))))), 422);
        failed(gw.api.post("/v1/request/query", user, Map.of("filter", "all", "limit", 5000)), 422);
        gw.api.post("/v1/request/query", null, Map.of("filter", "all")).expectError(401);
    }

    @Test
    void a_client_chosen_request_id_is_used_once() {
        String chosen = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
        assertEquals(chosen, complete(user, "gpt-fake", "Helicone-Request-Id", chosen));
        gw.post("/api/chat/completions", user, Gateway.chat("gpt-fake", "again"), "Helicone-Request-Id", chosen).expectError(409);
        assertEquals("gpt-fake", gw.logged(chosen, user).get("model").asString());
    }
}
