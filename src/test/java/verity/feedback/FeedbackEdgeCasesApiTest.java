package verity.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.ids;
import static verity.feedback.FeedbackFixtures.rating;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/** Inputs at the edges: long and odd values, huge page numbers, concurrent updates, non-ASCII tags. */
@ParameterizedClass
@EnumSource(Db.class)
class FeedbackEdgeCasesApiTest {
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
        user = addUser(server, "Edge", "user");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void own_feedback_is_listed_newest_first() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            created.add(create(api, user.token(), rating("m" + i, 1, null)).get("id").asString());
            clock.advance(Duration.ofSeconds(1));
        }
        for (String prefix : PREFIXES) {
            assertEquals(created.reversed(), ids(api.get(prefix + "/feedbacks/user", user.token()).expect(200).json()));
            assertEquals(created.reversed(), ids(api.get(prefix + "/feedbacks/user?page=1", user.token()).json().get("items")));
        }
    }

    @Test
    void own_feedback_pages_hold_30() {
        for (int i = 0; i < 31; i++) {
            create(api, user.token(), rating("m", 1, null));
        }
        JsonNode p1 = api.get("/api/evaluations/feedbacks/user?page=1", user.token()).expect(200).json();
        assertEquals(30, p1.get("items").size());
        assertEquals(31, p1.get("total").asInt());
        assertEquals(2, p1.get("pages").asInt());
        JsonNode p2 = api.get("/api/v1/evaluations/feedbacks/user?page=2", user.token()).expect(200).json();
        assertEquals(1, p2.get("items").size());
        assertEquals(31, api.get("/api/evaluations/feedbacks/user", user.token()).json().size(), "no page: everything");
    }

    @Test
    void a_huge_page_number_is_an_empty_page() {
        create(api, user.token(), rating("m", 1, null));
        String max = "1000000";
        for (String prefix : PREFIXES) {
            JsonNode list = api.get(prefix + "/feedbacks/list?page=" + max, admin.token()).expect(200).json();
            assertEquals(0, list.get("items").size(), list::toString);
            assertEquals(1, list.get("total").asInt());
            JsonNode mine = api.get(prefix + "/feedbacks/user?page=" + max, user.token()).expect(200).json();
            assertEquals(0, mine.get("items").size(), mine::toString);
            api.get(prefix + "/feedbacks/list?page=1000001", admin.token()).expectError(422);
            api.get(prefix + "/feedbacks/list?page=99999999999", admin.token()).expectError(422);
        }
    }

    @Test
    void odd_values_in_data_are_stored_and_listed() {
        List<Map<String, Object>> bodies = List.of(
                rating("m".repeat(255), 1, List.of("o".repeat(300)), "t".repeat(300)),
                rating("m", 1, List.of("nul\u0000sibling"), "nul\u0000tag"),
                rating("m", "nul\u0000rating", null),
                rating("m", "r".repeat(100), null),
                rating("m", 1e300, null),
                rating("m", new java.math.BigInteger("123456789012345678901234567890123456789"), null),
                rating("m", true, null),
                rating("ünïcødé 模型 🚀", 1, List.of("😀"), "标签"));
        List<String> failures = new ArrayList<>();
        for (Map<String, Object> body : bodies) {
            Api.Res r = api.post("/api/evaluations/feedback", user.token(), body);
            if (r.status() != 200) {
                failures.add(r.status() + " for " + body);
                continue;
            }
            JsonNode again = api.get("/api/evaluations/feedback/" + r.json().get("id").asString(), user.token()).expect(200).json();
            assertEquals(r.json().get("data"), again.get("data"));
        }
        assertEquals(List.of(), failures);
        api.get("/api/evaluations/feedbacks/list", admin.token()).expect(200);
        api.get("/api/evaluations/feedbacks/list?order_by=rating", admin.token()).expect(200);
        api.get("/api/evaluations/feedbacks/all/export?format=csv", admin.token()).expect(200);
        api.get("/api/evaluations/leaderboard", admin.token()).expect(200);
        JsonNode models = api.get("/api/evaluations/feedbacks/models", admin.token()).expect(200).json();
        assertTrue(models.toString().contains("ünïcødé 模型 🚀"), models::toString);
        JsonNode byModel = api.get("/api/evaluations/feedbacks/list?model_id=" + java.net.URLEncoder.encode("ünïcødé 模型 🚀",
                java.nio.charset.StandardCharsets.UTF_8), admin.token()).expect(200).json();
        assertEquals(1, byModel.get("total").asInt());
    }

    @Test
    void a_model_id_the_database_cannot_index_is_422_on_every_database() {
        for (String prefix : PREFIXES) {
            Api.Res tooLong = api.post(prefix + "/feedback", user.token(), rating("m".repeat(256), 1, null)).expectError(422);
            assertEquals(List.of("body", "data", "model_id"), tooLong.json().get("detail").get(0).get("loc").values().stream()
                    .map(JsonNode::asString).toList());
            api.post(prefix + "/feedback", user.token(), rating("nul\u0000model", 1, null)).expectError(422);
            String id = create(api, prefix, user.token(), rating("m", 1, null)).get("id").asString();
            api.post(prefix + "/feedback/" + id, user.token(), Map.of("data", Map.of("model_id", "x".repeat(256)))).expectError(422);
        }
    }

    @Test
    void entries_without_a_model_or_rating_sort_lowest() {
        String rated = create(api, user.token(), rating("b", 5, null)).get("id").asString();
        clock.advance(Duration.ofSeconds(1));
        String bare = create(api, user.token(), Api.body("type", "rating", "data", Map.of())).get("id").asString();
        clock.advance(Duration.ofSeconds(1));
        String low = create(api, user.token(), rating("a", -1, null)).get("id").asString();
        for (String order : List.of("rating", "model_id")) {
            String base = "/api/evaluations/feedbacks/list?order_by=" + order + "&direction=";
            assertEquals(List.of(bare, low, rated), ids(api.get(base + "asc", admin.token()).expect(200).json().get("items")), order);
            assertEquals(List.of(rated, low, bare), ids(api.get(base + "desc", admin.token()).expect(200).json().get("items")), order);
        }
    }

    @Test
    void a_type_longer_than_64_characters_is_422() {
        api.post("/api/evaluations/feedback", user.token(), Map.of("type", "t".repeat(65), "data", Map.of())).expectError(422);
        api.post("/api/evaluations/feedback", user.token(), Map.of("type", "", "data", Map.of())).expectError(422);
        create(api, user.token(), Map.of("type", "t".repeat(64), "data", Map.of()));
    }

    @Test
    void concurrent_updates_of_one_feedback_all_succeed_and_keep_every_version() throws Exception {
        String id = create(api, user.token(), rating("m", 1, null)).get("id").asString();
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<Future<Api.Res>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<Api.Res> call = () -> api.post("/api/evaluations/feedback/" + id, user.token(),
                        Map.of("data", Map.of("model_id", "m", "rating", 1, "comment", "c" + k)));
                results.add(pool.submit(call));
            }
            for (Future<Api.Res> r : results) {
                Api.Res res = r.get();
                assertEquals(200, res.status(), res::body);
            }
        } finally {
            pool.shutdownNow();
        }
        JsonNode f = api.get("/api/evaluations/feedback/" + id, user.token()).expect(200).json();
        assertEquals(n, f.get("version").asInt(), "every update made a version");
        JsonNode history = api.get("/api/evaluations/feedback/" + id + "/history", user.token()).expect(200).json();
        assertEquals(n, history.size());
        Set<Integer> versions = new HashSet<>();
        history.forEach(h -> versions.add(h.get("version").asInt()));
        assertEquals(n, versions.size());
    }

    @Test
    void a_topic_query_ignores_case_beyond_ascii() {
        create(api, user.token(), rating("A", 1, List.of("B"), "Ärger"));
        clock.advance(Duration.ofSeconds(1));
        create(api, user.token(), rating("A", 1, List.of("B"), "ÉTÉ"));
        JsonNode first = null;
        for (String q : List.of("Ärger", "ärger", "ÄRGER")) {
            JsonNode entries = api.get("/api/evaluations/leaderboard?query=" + java.net.URLEncoder.encode(q,
                    java.nio.charset.StandardCharsets.UTF_8), admin.token()).expect(200).json().get("entries");
            assertEquals(2, entries.size(), q + ": " + entries);
            assertEquals(2, entries.get(0).get("won").asInt(), q);
            if (first == null) {
                first = entries;
            }
            assertEquals(first, entries, q + " weighs the games as " + first);
        }
    }

    @Test
    void duplicate_and_self_siblings_are_played_as_given() {
        create(api, user.token(), rating("A", 1, List.of("B", "B")));
        JsonNode entries = api.get("/api/evaluations/leaderboard", admin.token()).expect(200).json().get("entries");
        assertEquals("A", entries.get(0).get("model_id").asString());
        assertEquals(2, entries.get(0).get("won").asInt(), "a repeated sibling is a second game");
        assertEquals(2, entries.get(1).get("lost").asInt());
        clock.advance(Duration.ofSeconds(1));
        create(api, user.token(), rating("C", 1, List.of("C")));
        JsonNode c = null;
        for (JsonNode e : api.get("/api/evaluations/leaderboard", admin.token()).json().get("entries")) {
            if (e.get("model_id").asString().equals("C")) {
                c = e;
            }
        }
        assertEquals(1000, c.get("rating").asInt(), "a game against itself nets zero");
        assertEquals(1, c.get("won").asInt());
        assertEquals(1, c.get("lost").asInt());
    }
}
