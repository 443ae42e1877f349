package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.data;
import static verity.feedback.FeedbackFixtures.rating;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
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
import verity.feedback.FeedbackFixtures;
import verity.support.Api;
import verity.support.Db;
import verity.support.MutableClock;
import verity.support.TestServer;

/**
 * The leaderboard is replayed from an in-memory log patched after every change: after edits, deletes, deleting
 * all feedback, deleting an author and concurrent writes it must equal the board computed from scratch — Elo
 * replayed here over every stored feedback, and the board of a restarted server (which loads the log afresh).
 */
@ParameterizedClass
@EnumSource(Db.class)
class LeaderboardLogApiTest {
    private static final String BOARD = "/api/v1/evaluations/leaderboard";
    private static final List<String> MODELS = List.of("m-a", "m-b", "m-c", "m-d");
    private static final List<String> TAGS = List.of("code", "Code", "math", "prose");

    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api.Account admin;
    Api.Account alice;
    Api.Account bob;
    final Random random = new Random(42);

    @BeforeEach
    void setUp() {
        clock = MutableClock.now();
        server = FeedbackFixtures.freshServer(db, clock);
        admin = server.admin();
        alice = addUser(server, "Alice", "user");
        bob = addUser(server, "Bob", "user");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /** A random rating (mostly ±1 votes, some other ratings, some without siblings), often in the same second. */
    private Map<String, Object> randomData() {
        String model = MODELS.get(random.nextInt(MODELS.size()));
        List<String> siblings = new ArrayList<>();
        for (String m : MODELS) {
            if (!m.equals(model) && random.nextInt(3) == 0) {
                siblings.add(m);
            }
        }
        Object rating = List.of(1, -1, "1", "-1", 0, 7).get(random.nextInt(6));
        String[] tags = random.ints(random.nextInt(3), 0, TAGS.size()).mapToObj(TAGS::get).distinct().toArray(String[]::new);
        return data(model, rating, siblings, tags);
    }

    private List<String> createMany(Api.Account author, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(create(server.api, author.token(), Map.of("type", "rating", "data", randomData())).get("id").asString());
            if (random.nextInt(3) == 0) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        return ids;
    }

    private JsonNode board(String query) {
        return server.api.get(BOARD + query, admin.token()).expect(200).json().get("entries");
    }

    /** Elo over every stored feedback, oldest first (created_at, then id), as a list of [model, rating, won, lost]. */
    private List<List<Object>> fromScratch() {
        List<JsonNode> all = new ArrayList<>();
        server.api.get("/api/v1/evaluations/feedbacks/all", admin.token()).expect(200).json().forEach(all::add);
        all.sort(Comparator.comparingLong((JsonNode f) -> f.get("created_at").asLong()).thenComparing(f -> f.get("id").asString()));
        EloLeaderboard elo = new EloLeaderboard();
        for (JsonNode f : all) {
            JsonNode d = f.get("data");
            String r = d.path("rating").isNumber() ? String.valueOf(d.get("rating").asInt()) : d.path("rating").asString("");
            boolean numeric = d.path("rating").isIntegralNumber() || d.path("rating").isString();
            if (numeric && (r.equals("1") || r.equals("-1")) && d.path("model_id").isString() && d.path("sibling_model_ids").isArray()) {
                List<String> opponents = new ArrayList<>();
                d.get("sibling_model_ids").forEach(s -> opponents.add(s.asString()));
                elo.apply(d.get("model_id").asString(), r.equals("1"), opponents, 1.0);
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        elo.stats().forEach((m, s) -> rows.add(List.of(m, EloLeaderboard.roundHalfEven(s.rating()), s.won(), s.lost())));
        rows.sort(Comparator.comparing((List<Object> r) -> (String) r.get(0)));
        return rows;
    }

    private static List<List<Object>> ratings(JsonNode entries) {
        List<List<Object>> rows = new ArrayList<>();
        entries.forEach(e -> rows.add(List.of(e.get("model_id").asString(), e.get("rating").asLong(), e.get("won").asInt(),
                e.get("lost").asInt())));
        rows.sort(Comparator.comparing((List<Object> r) -> (String) r.get(0)));
        return rows;
    }

    /** The served boards (plain and a tag query) equal Elo from scratch, and a restarted server serves the same. */
    private void assertFromScratch() {
        JsonNode plain = board("");
        JsonNode tagged = board("?query=code");
        assertEquals(fromScratch(), ratings(plain), plain::toString);
        server.restart();
        admin = server.admin();
        assertEquals(plain, board(""), "a restarted server, which loads the log afresh, agrees");
        assertEquals(tagged, board("?query=code"));
    }

    @Test
    void edits_and_deletes_of_any_feedback_give_the_board_from_scratch() {
        List<String> ids = createMany(alice, 40);
        ids.addAll(createMany(bob, 20));
        board("");
        for (int i = 0; i < 15; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            server.api.post("/api/v1/evaluations/feedback/" + id, admin.token(), Map.of("data", randomData())).expect(200);
        }
        assertEquals(fromScratch(), ratings(board("")), "after edits");
        for (int i = 0; i < 10; i++) {
            String id = ids.remove(random.nextInt(ids.size()));
            server.api.delete("/api/v1/evaluations/feedback/" + id, admin.token()).expect(200);
        }
        assertEquals(fromScratch(), ratings(board("")), "after deletes");
        server.api.post("/api/v1/evaluations/feedback/" + ids.getFirst(), admin.token(),
                Map.of("data", data("m-a", 1, List.of("m-b", "m-c"), "code"))).expect(200);
        assertFromScratch();
    }

    @Test
    void deleting_own_feedback_an_author_or_everything_gives_the_board_from_scratch() {
        createMany(alice, 25);
        createMany(bob, 25);
        Api.Account carol = addUser(server, "Carol", "user");
        createMany(carol, 25);
        board("");
        server.api.delete("/api/v1/evaluations/feedbacks", bob.token()).expect(200);
        assertEquals(fromScratch(), ratings(board("")), "after an author deleted their own feedback");
        server.api.delete("/api/v1/users/" + carol.id(), admin.token()).expect(200);
        assertEquals(fromScratch(), ratings(board("")), "after an author's account was deleted");
        assertFromScratch();
        server.api.delete("/api/v1/evaluations/feedbacks/all", admin.token()).expect(200);
        assertEquals(0, board("").size());
        create(server.api, alice.token(), rating("m-a", 1, List.of("m-b")));
        assertEquals(List.of(List.of("m-a", 1016L, 1, 0), List.of("m-b", 984L, 0, 1)), ratings(board("")));
    }

    @Test
    void concurrent_creates_edits_and_deletes_give_the_board_from_scratch() throws Exception {
        List<String> ids = createMany(alice, 30);
        board("");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                String target = ids.get(t);
                Map<String, Object> edit = Map.of("data", randomData());
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        create(server.api, bob.token(), rating("m-c", i % 2 == 0 ? 1 : -1, List.of("m-d")));
                        server.api.post("/api/v1/evaluations/feedback/" + target, alice.token(), edit).expect(200);
                        board("");
                    }
                    server.api.delete("/api/v1/evaluations/feedback/" + target, alice.token()).expect(200);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(board("").size() > 0);
        assertFromScratch();
    }
}
