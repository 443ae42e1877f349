package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.feedback.FeedbackFixtures;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** Side-by-side comparisons and the Bradley–Terry leaderboard over HTTP, against the worked vectors. */
@ParameterizedClass
@EnumSource(Db.class)
class RatingApiTest {
    private static final String BT = "/api/v1/evaluations/leaderboard/bt";

    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    String admin;
    String user;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin().token();
        user = server.newUser("user").token();
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void compare(String a, String b, String winner, String... tags) {
        api.post("/api/evaluations/comparisons", user, Map.of("model_a", a, "model_b", b, "winner", winner, "tags", List.of(tags)))
                .expect(200);
        clock.advance(Duration.ofSeconds(1));
    }

    /** The five battles of feedback-anchors §4.6, in chronological order. */
    private void fiveBattles() {
        compare("A", "B", "a", "code");
        compare("B", "C", "a", "code");
        compare("A", "C", "tie");
        compare("C", "A", "a");
        compare("A", "B", "b", "code");
    }

    private static Map<String, JsonNode> byModel(JsonNode entries) {
        Map<String, JsonNode> m = new HashMap<>();
        entries.forEach(e -> m.put(e.get("model_id").asString(), e));
        return m;
    }

    @Test
    void the_bradley_terry_fit_reproduces_t3_and_online_elo_reproduces_t1_and_t2() {
        fiveBattles();
        JsonNode board = api.get(BT + "?bootstrap=20&seed=7", admin).expect(200).json();
        Map<String, JsonNode> e = byModel(board.get("entries"));
        assertEquals(939.84, e.get("A").get("rating").asDouble(), 0.011);
        assertEquals(1075.58, e.get("B").get("rating").asDouble(), 0.011);
        assertEquals(984.58, e.get("C").get("rating").asDouble(), 0.011);
        assertEquals("B", board.get("entries").get(0).get("model_id").asString(), "sorted by rating");
        assertEquals(1, e.get("A").get("wins").asInt());
        assertEquals(2, e.get("A").get("losses").asInt());
        assertEquals(1, e.get("A").get("ties").asInt());
        assertEquals(4, e.get("A").get("votes").asInt());
        for (JsonNode entry : board.get("entries")) {
            assertTrue(entry.get("ci_lower").asDouble() <= entry.get("rating").asDouble()
                    && entry.get("rating").asDouble() <= entry.get("ci_upper").asDouble() + 1e-9, entry.toString());
            assertEquals(1, entry.get("rank").asInt(), "overlapping intervals share rank 1");
        }
        Map<String, JsonNode> elo = byModel(board.get("elo").get("entries"));
        assertEquals(997.95, elo.get("A").get("rating").asDouble(), 0.011);
        assertEquals(1002.01, elo.get("B").get("rating").asDouble(), 0.011);
        assertEquals(1000.03, elo.get("C").get("rating").asDouble(), 0.011);
        Map<String, JsonNode> elo32 = byModel(api.get(BT + "?bootstrap=5&elo_k=32", admin).expect(200).json().get("elo").get("entries"));
        assertEquals(981.30, elo32.get("A").get("rating").asDouble(), 0.011);
        assertEquals(1016.57, elo32.get("B").get("rating").asDouble(), 0.011);
        assertEquals(1002.13, elo32.get("C").get("rating").asDouble(), 0.011);
        assertEquals(5, board.get("comparisons").asInt());
    }

    @Test
    void the_same_inputs_and_seed_give_the_same_board_and_new_feedback_refreshes_it() {
        fiveBattles();
        String first = api.get(BT + "?seed=3&bootstrap=30", admin).expect(200).body();
        assertEquals(first, api.get(BT + "?seed=3&bootstrap=30", admin).expect(200).body());
        compare("A", "C", "a");
        JsonNode after = api.get(BT + "?seed=3&bootstrap=30", admin).expect(200).json();
        assertEquals(6, after.get("comparisons").asInt(), "a new comparison invalidates the cached board");
    }

    @Test
    void ties_and_both_bad_are_kept_apart_and_filters_apply() {
        compare("A", "B", "both_bad", "math");
        compare("A", "B", "tie", "code");
        compare("A", "C", "a", "code");
        JsonNode board = api.get(BT + "?bootstrap=5", admin).expect(200).json();
        Map<String, JsonNode> e = byModel(board.get("entries"));
        assertEquals(1, e.get("B").get("ties").asInt());
        assertEquals(1, e.get("B").get("both_bad").asInt());
        JsonNode code = api.get(BT + "?bootstrap=5&tag=CODE", admin).expect(200).json();
        assertEquals(2, code.get("comparisons").asInt(), "tag filter is exact and case-insensitive");
        assertEquals(1, api.get(BT + "?bootstrap=5&exclude_models=C", admin).expect(200).json().get("comparisons").asInt() - 1);
        assertEquals(0, api.get(BT + "?bootstrap=5&min_votes=3", admin).expect(200).json().get("comparisons").asInt(),
                "only A reaches three votes, so no pair is left");
        JsonNode tags = api.get(BT + "/tags", admin).expect(200).json();
        assertEquals("code", tags.get(0).get("tag").asString());
        assertEquals(2, tags.get(0).get("comparisons").asInt());
        JsonNode cell = null;
        for (JsonNode c : board.get("win_rates")) {
            if (c.get("model_id").asString().equals("A") && c.get("opponent").asString().equals("C")) {
                cell = c;
            }
        }
        assertEquals(1.0, cell.get("win_rate").asDouble());
        JsonNode ab = null;
        for (JsonNode c : board.get("win_rates")) {
            if (c.get("model_id").asString().equals("A") && c.get("opponent").asString().equals("B")) {
                ab = c;
            }
        }
        assertTrue(ab.get("win_rate").isNull(), "no decisive game between A and B");
    }

    @Test
    void open_webui_ratings_with_siblings_and_cohere_style_preferences_become_comparisons() {
        FeedbackFixtures.create(api, user, FeedbackFixtures.rating("A", 1, List.of("B", "C")));
        clock.advance(Duration.ofSeconds(1));
        FeedbackFixtures.create(api, user, FeedbackFixtures.rating("B", "-1", List.of("C")));
        clock.advance(Duration.ofSeconds(1));
        FeedbackFixtures.create(api, user, FeedbackFixtures.rating("C", 1, null));
        JsonNode board = api.get(BT + "?bootstrap=5", admin).expect(200).json();
        assertEquals(3, board.get("comparisons").asInt(), "A>B, A>C, C>B; a rating without siblings adds nothing");
        Map<String, JsonNode> e = byModel(board.get("entries"));
        assertEquals(2, e.get("A").get("wins").asInt());
        assertEquals(0, e.get("B").get("wins").asInt());
    }

    @Test
    void bad_comparisons_and_parameters_are_clear_errors() {
        api.post("/api/v1/evaluations/comparisons", user, Map.of("model_a", "A", "model_b", "A", "winner", "a")).expectError(422);
        api.post("/api/v1/evaluations/comparisons", user, Map.of("model_a", "A", "model_b", "B", "winner", "left")).expectError(422);
        api.post("/api/v1/evaluations/comparisons", user, Map.of("model_a", "A", "winner", "a")).expectError(422);
        api.post("/api/v1/evaluations/comparisons", user, Map.of("model_a", "A", "model_b", "B", "winner", "a", "tags", "x"))
                .expectError(422);
        api.post("/api/v1/evaluations/comparisons", user, Map.of("model_a", "A", "model_b", "B", "winner", "a",
                "request_ids", List.of("00000000-0000-4000-8000-000000000000"))).expectError(404);
        api.postRaw("/api/v1/evaluations/comparisons", user, "{").expectError(400);
        api.post("/api/v1/evaluations/comparisons", null, Map.of("model_a", "A", "model_b", "B", "winner", "a")).expectError(401);
        api.post("/api/v1/evaluations/comparisons", server.newUser("pending").token(),
                Map.of("model_a", "A", "model_b", "B", "winner", "a")).expectError(403);
        api.get(BT + "?bootstrap=0", admin).expectError(422);
        api.get(BT + "?bootstrap=5000", admin).expectError(422);
        api.get(BT + "?seed=x", admin).expectError(422);
        api.get(BT + "?elo_k=-1", admin).expectError(422);
        api.get(BT, user).expectError(403);
        api.get(BT, null).expectError(401);
        JsonNode empty = api.get(BT, admin).expect(200).json();
        assertEquals(0, empty.get("entries").size());
    }
}
