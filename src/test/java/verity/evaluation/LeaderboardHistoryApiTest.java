package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static verity.feedback.FeedbackFixtures.PREFIXES;
import static verity.feedback.FeedbackFixtures.addUser;
import static verity.feedback.FeedbackFixtures.assertKeys;
import static verity.feedback.FeedbackFixtures.create;
import static verity.feedback.FeedbackFixtures.rating;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
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
 * GET /evaluations/leaderboard/{model_id}/history: per-day won/lost of one model in the server's default zone,
 * zero-filled, siblings ignored. The clock is pinned so "today" is known.
 */
@ParameterizedClass
@EnumSource(Db.class)
class LeaderboardHistoryApiTest {
    /** "Today" for the server: noon local time, so small offsets never cross midnight. */
    static final LocalDate TODAY = LocalDate.of(2030, 3, 10);

    @Parameter
    Db db;

    MutableClock clock;
    TestServer server;
    Api api;
    Api.Account admin;
    Api.Account user;

    static Instant at(LocalDate day, int hour) {
        return day.atTime(hour, 0).atZone(ZoneId.systemDefault()).toInstant();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(at(TODAY.minusDays(5), 9));
        server = FeedbackFixtures.freshServer(db, clock);
        api = server.api;
        admin = server.admin();
        user = addUser(server, "Rater", "user");
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    /**
     * M: one loss 5 days ago; 2 days ago a won game against N and a loss without siblings; today two wins (int
     * and string rating) and ignored ratings 0 and 7. N's win over M today does not count for M.
     */
    private void ratings() {
        create(api, user.token(), rating("M", -1, null));
        clock.set(at(TODAY.minusDays(2), 10));
        create(api, user.token(), rating("M", 1, List.of("N")));
        clock.set(at(TODAY.minusDays(2), 23));
        create(api, user.token(), rating("M", -1, null));
        clock.set(at(TODAY, 0));
        create(api, user.token(), rating("M", 1, null));
        clock.set(at(TODAY, 11));
        create(api, user.token(), rating("M", "1", null));
        create(api, user.token(), rating("N", 1, List.of("M")));
        create(api, user.token(), rating("M", 0, null));
        create(api, user.token(), rating("M", 7, null));
        clock.set(at(TODAY, 12));
    }

    private JsonNode history(String prefix, String model, String query) {
        JsonNode r = api.get(prefix + "/leaderboard/" + model + "/history" + query, admin.token()).expect(200).json();
        assertKeys(r, "model_id", "history");
        assertEquals(model, r.get("model_id").asString());
        return r.get("history");
    }

    private static void assertDay(JsonNode day, LocalDate date, int won, int lost) {
        assertKeys(day, "date", "won", "lost");
        assertEquals(date.toString(), day.get("date").asString());
        assertEquals(won, day.get("won").asInt(), date + " won");
        assertEquals(lost, day.get("lost").asInt(), date + " lost");
    }

    @Test
    void the_last_three_days_are_zero_filled_and_end_today() {
        ratings();
        for (String prefix : PREFIXES) {
            JsonNode days = history(prefix, "M", "?days=3");
            assertEquals(3, days.size(), days::toString);
            assertDay(days.get(0), TODAY.minusDays(2), 1, 1);
            assertDay(days.get(1), TODAY.minusDays(1), 0, 0);
            assertDay(days.get(2), TODAY, 2, 0);
            JsonNode n = history(prefix, "N", "?days=3");
            assertDay(n.get(2), TODAY, 1, 0);
            assertDay(n.get(0), TODAY.minusDays(2), 0, 0);
        }
    }

    @Test
    void days_zero_starts_at_the_first_rating_day() {
        ratings();
        for (String prefix : PREFIXES) {
            JsonNode days = history(prefix, "M", "?days=0");
            assertEquals(6, days.size(), days::toString);
            assertDay(days.get(0), TODAY.minusDays(5), 0, 1);
            assertDay(days.get(1), TODAY.minusDays(4), 0, 0);
            assertDay(days.get(2), TODAY.minusDays(3), 0, 0);
            assertDay(days.get(3), TODAY.minusDays(2), 1, 1);
            assertDay(days.get(4), TODAY.minusDays(1), 0, 0);
            assertDay(days.get(5), TODAY, 2, 0);
            JsonNode unknown = history(prefix, "nobody", "?days=0");
            assertEquals(1, unknown.size(), "a model never rated: just today");
            assertDay(unknown.get(0), TODAY, 0, 0);
        }
    }

    @Test
    void the_default_is_thirty_days() {
        ratings();
        JsonNode days = history("/api/v1/evaluations", "M", "");
        assertEquals(30, days.size());
        assertDay(days.get(0), TODAY.minusDays(29), 0, 0);
        assertDay(days.get(24), TODAY.minusDays(5), 0, 1);
        assertDay(days.get(29), TODAY, 2, 0);
        assertEquals(1, history("/api/v1/evaluations", "M", "?days=1").size());
    }

    @Test
    void a_bad_days_value_is_422() {
        for (String prefix : PREFIXES) {
            api.get(prefix + "/leaderboard/M/history?days=-1", admin.token()).expectError(422);
            api.get(prefix + "/leaderboard/M/history?days=abc", admin.token()).expectError(422);
            api.get(prefix + "/leaderboard/M/history?days=1.5", admin.token()).expectError(422);
        }
    }

    @Test
    void history_is_admin_only() {
        for (String prefix : PREFIXES) {
            api.get(prefix + "/leaderboard/M/history?days=3", user.token()).expectError(403);
            api.get(prefix + "/leaderboard/M/history?days=3", null).expectError(401);
        }
    }
}
