package verity.cohere;

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
import verity.support.Db;

/** Cohere's feedback calls over requests relayed by Verity: edits, flags and preferences are first-class feedback. */
@ParameterizedClass
@EnumSource(Db.class)
class CohereApiTest {
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

    private String complete(String model) {
        return gw.post("/api/chat/completions", user, Gateway.chat(model, "hello")).expect(200).header("Helicone-Id");
    }

    private JsonNode feedback(String id) {
        return gw.api.get("/api/evaluations/feedback/" + id, user).expect(200).json();
    }

    @Test
    void generate_feedback_becomes_a_rating_an_edit_or_a_flag() {
        String id = complete("gpt-fake");
        String good = gw.api.post("/v1/feedback/generate", user, Map.of("request_id", id, "good_response", true))
                .expect(200).json().get("id").asString();
        assertEquals("rating", feedback(good).get("type").asString());
        assertEquals(1, feedback(good).get("data").get("rating").asInt());
        assertEquals("gpt-fake", feedback(good).get("data").get("model_id").asString());
        String edit = gw.api.post("/v1/feedback/generate", user, Map.of("request_id", id, "good_response", false,
                "desired_response", "A better answer", "annotator_id", "ann-1")).expect(200).json().get("id").asString();
        assertEquals("edit", feedback(edit).get("type").asString());
        assertEquals("A better answer", feedback(edit).get("data").get("desired_response").asString());
        assertEquals("ann-1", feedback(edit).get("data").get("annotator_id").asString());
        String flag = gw.api.post("/v1/feedback/generate", user, Map.of("request_id", id, "good_response", false,
                "flagged_response", true, "flagged_reason", "unsafe")).expect(200).json().get("id").asString();
        assertEquals("flag", feedback(flag).get("type").asString());
        assertEquals("unsafe", feedback(flag).get("data").get("reason").asString());
        assertEquals(id, feedback(flag).get("meta").get("request_id").asString());
    }

    @Test
    void a_preference_resolves_each_request_to_its_model_and_feeds_the_leaderboard() {
        String a = complete("gpt-fake");
        String b = complete("echo");
        String pref = gw.api.post("/v1/feedback/generate/preference", user, Map.of("prompt", "hello", "ratings", List.of(
                Map.of("request_id", a, "rating", 1, "generation", "first"),
                Map.of("request_id", b, "rating", 0.5, "generation", "second")))).expect(200).json().get("id").asString();
        JsonNode data = feedback(pref).get("data");
        assertEquals("preference", feedback(pref).get("type").asString());
        assertEquals("gpt-fake", data.get("ratings").get(0).get("model_id").asString());
        assertEquals("echo", data.get("ratings").get(1).get("model_id").asString());
        JsonNode board = gw.api.get("/api/v1/evaluations/leaderboard/bt?bootstrap=5", gw.admin()).expect(200).json();
        assertEquals(1, board.get("comparisons").asInt());
        assertEquals("gpt-fake", board.get("entries").get(0).get("model_id").asString());
        String dpo = gw.api.get("/api/v1/evaluations/export/dpo-trl", gw.admin()).expect(200).body();
        assertTrue(dpo.contains("\"first\"") && dpo.contains("\"second\""), dpo);
        assertTrue(dpo.indexOf("first") < dpo.indexOf("second"), "the higher-rated generation is chosen");
    }

    /** Dialect feedback (Cohere's, Helicone's votes and their updates) keeps the board equal to a fresh load. */
    @Test
    void dialect_feedback_leaves_the_leaderboard_as_a_restarted_server_computes_it() {
        for (int i = 0; i < 6; i++) {
            gw.api.post("/api/v1/evaluations/feedback", user, Map.of("type", "rating", "data", Map.of("model_id", "gpt-fake",
                    "rating", i % 3 == 0 ? -1 : 1, "sibling_model_ids", List.of("echo"), "tags", List.of("code")))).expect(200);
        }
        String id = complete("gpt-fake");
        gw.api.post("/v1/feedback/generate", user, Map.of("request_id", id, "good_response", true)).expect(200);
        gw.api.post("/v1/request/" + id + "/feedback", user, Map.of("rating", true)).expect(200);
        gw.api.post("/v1/request/" + id + "/feedback", user, Map.of("rating", false)).expect(200);
        gw.api.post("/v1/feedback/generate/preference", user, Map.of("prompt", "hello", "ratings", List.of(
                Map.of("request_id", id, "rating", 1), Map.of("request_id", complete("echo"), "rating", 0)))).expect(200);
        JsonNode before = gw.api.get("/api/v1/evaluations/leaderboard", gw.admin()).expect(200).json();
        assertEquals(2, before.get("entries").size(), before::toString);
        gw.restart();
        assertEquals(before, gw.api.get("/api/v1/evaluations/leaderboard", gw.admin()).expect(200).json());
    }

    @Test
    void bad_calls_are_clear_errors() {
        String id = complete("gpt-fake");
        gw.api.post("/v1/feedback/generate", user, Map.of("request_id", id)).expectError(422);
        gw.api.post("/v1/feedback/generate", user, Map.of("good_response", true)).expectError(422);
        gw.api.post("/v1/feedback/generate", user, Map.of("request_id", "nope", "good_response", true)).expectError(404);
        gw.api.post("/v1/feedback/generate", gw.user(), Map.of("request_id", id, "good_response", true)).expectError(404);
        gw.api.post("/v1/feedback/generate/preference", user, Map.of("ratings", List.of())).expectError(422);
        gw.api.post("/v1/feedback/generate/preference", user, Map.of("ratings", List.of(Map.of("request_id", id)))).expectError(422);
        gw.api.postRaw("/v1/feedback/generate", user, "[]").expectError(422);
        gw.api.post("/v1/feedback/generate", null, Map.of("request_id", id, "good_response", true)).expectError(401);
    }
}
