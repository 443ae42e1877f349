package verity.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Open WebUI 0.7+ leaderboard Elo against the worked examples of feedback-anchors.md §4.6 (T5, T6). */
class EloLeaderboardTest {
    private static final double EPS = 0.01;

    private static void assertStats(EloLeaderboard elo, String model, double rating, int won, int lost) {
        EloLeaderboard.Stats s = elo.stats().get(model);
        assertEquals(rating, s.rating(), EPS, model + " rating");
        assertEquals(won, s.won(), model + " won");
        assertEquals(lost, s.lost(), model + " lost");
    }

    @Test
    void one_feedback_against_two_siblings_updates_sequentially() {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("X", true, List.of("Y", "Z"), 1.0);
        assertStats(elo, "X", 1031.26, 2, 0);
        assertStats(elo, "Y", 984.00, 0, 1);
        assertStats(elo, "Z", 984.74, 0, 1);
        assertEquals(1031, EloLeaderboard.roundHalfEven(elo.stats().get("X").rating()));
        assertEquals(984, EloLeaderboard.roundHalfEven(elo.stats().get("Y").rating()));
        assertEquals(985, EloLeaderboard.roundHalfEven(elo.stats().get("Z").rating()));
        assertEquals(List.of("X", "Z", "Y"), elo.ranking());
    }

    /** T6: f1 {A, won, [B]}, f2 {B, won, [C]}, f3 (rating 0) never applied, f4 {C, won, [A]}, f5 {A, lost, [B]}. */
    private static EloLeaderboard t6(double w1, double w2, double w4, double w5) {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("A", true, List.of("B"), w1);
        elo.apply("B", true, List.of("C"), w2);
        elo.apply("C", true, List.of("A"), w4);
        elo.apply("A", false, List.of("B"), w5);
        return elo;
    }

    @Test
    void five_battles_in_chronological_order_give_the_t6_ratings() {
        EloLeaderboard elo = t6(1, 1, 1, 1);
        assertStats(elo, "A", 982.60, 1, 2);
        assertStats(elo, "B", 1016.63, 2, 1);
        assertStats(elo, "C", 1000.77, 1, 1);
        assertEquals(List.of("B", "C", "A"), elo.ranking());
    }

    @Test
    void topic_weights_scale_rating_changes_but_not_the_counts() {
        EloLeaderboard elo = t6(0.9, 0.5, 0.0, 1.0);
        assertStats(elo, "A", 997.46, 1, 2);
        assertStats(elo, "B", 1010.87, 2, 1);
        assertStats(elo, "C", 991.67, 1, 1);
        assertEquals(List.of("B", "A", "C"), elo.ranking());
    }

    @Test
    void a_zero_weight_game_changes_no_rating_but_counts_a_win_and_a_loss() {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("C", true, List.of("A"), 0.0);
        assertStats(elo, "C", 1000, 1, 0);
        assertStats(elo, "A", 1000, 0, 1);
    }

    @Test
    void a_loss_counts_as_the_opponent_winning_and_the_update_is_zero_sum() {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("A", false, List.of("B"), 1.0);
        assertStats(elo, "A", 984, 0, 1);
        assertStats(elo, "B", 1016, 1, 0);
        elo.apply("B", true, List.of("C", "A"), 1.0);
        double sum = elo.stats().values().stream().mapToDouble(EloLeaderboard.Stats::rating).sum();
        assertEquals(3000, sum, 1e-9, "every game moves as many points as it takes");
    }

    @Test
    void feedback_without_opponents_creates_no_entry() {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("A", true, List.of(), 1.0);
        assertTrue(elo.stats().isEmpty());
        assertEquals(List.of(), elo.ranking());
    }

    @Test
    void round_half_even_matches_python_round() {
        assertEquals(0, EloLeaderboard.roundHalfEven(0.5));
        assertEquals(2, EloLeaderboard.roundHalfEven(1.5));
        assertEquals(2, EloLeaderboard.roundHalfEven(2.5));
        assertEquals(982, EloLeaderboard.roundHalfEven(982.5));
        assertEquals(984, EloLeaderboard.roundHalfEven(983.5));
        assertEquals(0, EloLeaderboard.roundHalfEven(-0.5));
        assertEquals(-2, EloLeaderboard.roundHalfEven(-1.5));
        assertEquals(983, EloLeaderboard.roundHalfEven(982.6000107617091));
        assertEquals(1001, EloLeaderboard.roundHalfEven(1000.7668102976842));
    }

    @Test
    void ranking_orders_by_rating_descending() {
        EloLeaderboard elo = new EloLeaderboard();
        elo.apply("low", false, List.of("mid"), 1.0);
        elo.apply("top", true, List.of("mid"), 1.0);
        elo.apply("top", true, List.of("low"), 1.0);
        List<String> ranking = elo.ranking();
        assertEquals("top", ranking.getFirst());
        for (int i = 1; i < ranking.size(); i++) {
            assertTrue(elo.stats().get(ranking.get(i - 1)).rating() >= elo.stats().get(ranking.get(i)).rating());
        }
    }
}
