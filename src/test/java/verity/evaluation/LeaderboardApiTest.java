package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.assertKeys;
import static verity.feedback.FeedbackFixtures.create;
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
import verity.feedback.FeedbackFixtures;
import verity.http.Json;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/**
 * GET /evaluations/leaderboard over real feedback, against test vector T6 of feedback-anchors.md §4.6. A
 * {@link MutableClock} puts every feedback in its own second, so the (created_at, id) order is the posting order.
 */
@ParameterizedClass
@EnumSource(Db.class)
class LeaderboardApiTest {
    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    Api.Account admin;
    Api.Account user;

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin();
        user = addUser(server, "Rater", "user");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private JsonNode board(String prefix, String query) {
        JsonNode r = api.get(prefix + "/leaderboard" + query, admin.token()).expect(200).json();
        assertKeys(r, "entries");
        return r.get("entries");
    }

    private static void assertEntry(JsonNode e, String model, int rating, int won, int lost) {
        assertKeys(e, "model_id", "rating", "won", "lost", "count", "top_tags");
        assertEquals(model, e.get("model_id").asString());
        assertTrue(e.get("rating").isIntegralNumber(), "rating is rounded to an integer");
        assertEquals(rating, e.get("rating").asInt(), model + " rating");
        assertEquals(won, e.get("won").asInt(), model + " won");
        assertEquals(lost, e.get("lost").asInt(), model + " lost");
        assertEquals(won + lost, e.get("count").asInt(), model + " count");
    }

    /** T6: f1 {A, 1, [B]}, f2 {B, "1", [C]}, f3 {A, 0, [C]} (skipped), f4 {C, 1, [A]}, f5 {A, "-1", [B]}. */
    private static List<Map<String, Object>> t6() {
        return List.of(
                rating("A", 1, List.of("B")),
                rating("B", "1", List.of("C")),
                rating("A", 0, List.of("C")),
                rating("C", 1, List.of("A")),
                rating("A", "-1", List.of("B")));
    }

    private void assertT6(JsonNode entries) {
        assertEquals(3, entries.size(), entries::toString);
        assertEntry(entries.get(0), "B", 1017, 2, 1);
        assertEntry(entries.get(1), "C", 1001, 1, 1);
        assertEntry(entries.get(2), "A", 983, 1, 2);
    }

    @Test
    void an_empty_leaderboard_has_no_entries() {
        for (String prefix : PREFIXES) {
            assertEquals(Json.read("{\"entries\": []}"), api.get(prefix + "/leaderboard", admin.token()).expect(200).json());
        }
    }

    @Test
    void five_chronological_battles_give_the_t6_ratings() {
        for (Map<String, Object> f : t6()) {
            create(api, user.token(), f);
            clock.advance(Duration.ofSeconds(1));
        }
        for (String prefix : PREFIXES) {
            assertT6(board(prefix, ""));
        }
    }

    /**
     * Boards are built on earlier results as feedback arrives: feedback created back in time, before what a
     * kept result covers, and rewrites must still give the board computed from scratch.
     */
    @Test
    void boards_updated_as_feedback_arrives_match_the_full_computation() {
        List<Map<String, Object>> battles = t6();
        long t0 = clock.instant().getEpochSecond();
        long[] at = {0, 1, 20, 30, 60};
        int[] postingOrder = {0, 1, 4, 3, 2};
        String firstId = null;
        for (int i : postingOrder) {
            clock.set(java.time.Instant.ofEpochSecond(t0 + at[i]));
            String id = create(api, user.token(), battles.get(i)).get("id").asString();
            firstId = i == 0 ? id : firstId;
            board("/api/v1/evaluations", "");
            clock.set(java.time.Instant.ofEpochSecond(t0 + 90));
            board("/api/v1/evaluations", "");
        }
        JsonNode incremental = board("/api/v1/evaluations", "");
        assertT6(incremental);
        api.post("/api/v1/evaluations/feedback/" + firstId, user.token(), Map.of("meta", Map.of("note", "edited"))).expect(200);
        assertEquals(incremental, board("/api/v1/evaluations", ""), "a recomputation from scratch agrees");
        clock.advance(Duration.ofSeconds(1));
        create(api, user.token(), rating("C", "-1", List.of("B")));
        clock.advance(Duration.ofSeconds(30));
        JsonNode appended = board("/api/v1/evaluations", "");
        api.post("/api/v1/evaluations/feedback/" + firstId, user.token(), Map.of("meta", Map.of("note", "again"))).expect(200);
        assertEquals(appended, board("/api/v1/evaluations", ""));
    }

    @Test
    void the_order_is_creation_time_not_insertion_order() {
        List<Map<String, Object>> battles = t6();
        long t0 = clock.instant().getEpochSecond();
        for (int i = battles.size() - 1; i >= 0; i--) {
            clock.set(java.time.Instant.ofEpochSecond(t0 + i));
            create(api, user.token(), battles.get(i));
        }
        assertT6(board("/api/v1/evaluations", ""));
    }

    @Test
    void feedback_without_siblings_or_with_other_ratings_contributes_nothing() {
        List<Map<String, Object>> noise = new ArrayList<>();
        noise.add(rating("A", 1, null));
        noise.add(rating("B", 1, List.of()));
        noise.add(rating("C", "-1", null));
        noise.add(rating("A", 7, List.of("B")));
        noise.add(rating("A", "good", List.of("B")));
        noise.add(rating("A", null, List.of("C")));
        noise.add(Api.body("type", "rating", "data", Map.of("rating", 1, "sibling_model_ids", List.of("A"))));
        noise.add(rating("A", 1.0, List.of("B")));
        int i = 0;
        for (Map<String, Object> f : t6()) {
            create(api, user.token(), f);
            clock.advance(Duration.ofSeconds(1));
            create(api, user.token(), noise.get(i++));
            clock.advance(Duration.ofSeconds(1));
        }
        while (i < noise.size()) {
            create(api, user.token(), noise.get(i++));
        }
        assertT6(board("/api/evaluations", ""));
        JsonNode lonely = api.get("/api/evaluations/leaderboard", admin.token()).json();
        for (JsonNode e : lonely.get("entries")) {
            assertTrue(List.of("A", "B", "C").contains(e.get("model_id").asString()));
        }
    }

    @Test
    void a_deleted_or_changed_feedback_no_longer_counts() {
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> f : t6()) {
            ids.add(create(api, user.token(), f).get("id").asString());
            clock.advance(Duration.ofSeconds(1));
        }
        String extra = create(api, user.token(), rating("A", 1, List.of("D"))).get("id").asString();
        assertEquals(4, board("/api/evaluations", "").size());
        api.delete("/api/evaluations/feedback/" + extra, user.token()).expect(200);
        assertT6(board("/api/evaluations", ""));
        api.post("/api/evaluations/feedback/" + ids.get(4), user.token(),
                Map.of("data", Map.of("model_id", "A", "rating", 0, "sibling_model_ids", List.of("B")))).expect(200);
        JsonNode entries = board("/api/evaluations", "");
        assertEquals(3, entries.size());
        boolean cFirst = entries.get(0).get("model_id").asString().equals("C");
        assertEntry(entries.get(cFirst ? 0 : 1), "C", 1001, 1, 1);
        assertEntry(entries.get(cFirst ? 1 : 0), "B", 1001, 1, 1);
        assertEntry(entries.get(2), "A", 998, 1, 1);
    }

    /** A: tags code×3, math×2, python, style, late, later (in that order of first use); B: Code once. */
    private void taggedFeedback() {
        List<Map<String, Object>> rows = List.of(
                rating("A", 1, List.of("B"), "code", "python"),
                rating("A", -1, List.of("B"), "code", "math"),
                rating("A", 1, null, "code", "math", "style"),
                rating("A", 0, null, "late"),
                rating("A", 1, null, "later"),
                rating("B", 1, null, "Code"));
        for (Map<String, Object> f : rows) {
            create(api, user.token(), f);
            clock.advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void top_tags_are_the_five_most_frequent_tags_per_model() {
        taggedFeedback();
        for (String prefix : PREFIXES) {
            JsonNode entries = board(prefix, "");
            assertEquals(2, entries.size());
            assertEntry(entries.get(0), "B", 1001, 1, 1);
            assertEntry(entries.get(1), "A", 999, 1, 1);
            assertEquals(Json.read("""
                    [{"tag": "code", "count": 3}, {"tag": "math", "count": 2}, {"tag": "python", "count": 1},
                     {"tag": "style", "count": 1}, {"tag": "late", "count": 1}]"""), entries.get(1).get("top_tags"));
            assertEquals(Json.read("[{\"tag\": \"Code\", \"count\": 1}]"), entries.get(0).get("top_tags"));
        }
    }

    @Test
    void a_query_weights_each_game_by_how_close_its_tags_are_to_the_topic() {
        taggedFeedback();
        for (String prefix : PREFIXES) {
            // A beat B on a game tagged code+python, then lost on one tagged code+math; unweighted A ends on 999.
            JsonNode python = board(prefix, "?query=python");
            assertEquals(2, python.size());
            assertEquals("A", python.get(0).get("model_id").asString(), "the python game counts fully, the math game less");
            long a = python.get(0).get("rating").asLong();
            assertTrue(a > 1000 && a < 1016, "A's rating " + a);
            assertEquals(1, python.get(0).get("won").asInt());
            assertEquals(1, python.get(0).get("lost").asInt());
            JsonNode math = board(prefix, "?query=Math");
            assertEquals("B", math.get(0).get("model_id").asString(), "the math game counts fully, the python game less");
            assertEquals(2, board(prefix, "?query=").size(), "an empty query is no weighting");
            assertEquals(board(prefix, ""), board(prefix, "?query="));
        }
    }

    @Test
    void without_any_tags_a_query_changes_nothing() {
        for (Map<String, Object> f : t6()) {
            create(api, user.token(), f);
            clock.advance(Duration.ofSeconds(1));
        }
        assertT6(board("/api/v1/evaluations", "?query=anything+at+all"));
    }

    @Test
    void the_leaderboard_is_admin_only() {
        create(api, user.token(), rating("A", 1, List.of("B")));
        Api.Account pending = addUser(server, "Pending", "pending");
        for (String prefix : PREFIXES) {
            api.get(prefix + "/leaderboard", user.token()).expectError(403);
            api.get(prefix + "/leaderboard", pending.token()).expectError(403);
            api.get(prefix + "/leaderboard", null).expectError(401);
            api.get(prefix + "/leaderboard/A/history", user.token()).expectError(403);
            api.get(prefix + "/leaderboard/A/history", null).expectError(401);
        }
    }
}
