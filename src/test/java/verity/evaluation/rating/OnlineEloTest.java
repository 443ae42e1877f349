package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FastChat online Elo against T1 (K=4) and T2 (K=32) of feedback-anchors.md §4.6. */
class OnlineEloTest {
    private static final double EPS = 1e-4;

    private static void assertRatings(OnlineElo elo, double a, double b, double c) {
        assertEquals(a, elo.rating("A"), EPS, "A");
        assertEquals(b, elo.rating("B"), EPS, "B");
        assertEquals(c, elo.rating("C"), EPS, "C");
    }

    @Test
    void t1_k4_every_step() {
        OnlineElo elo = new OnlineElo();
        List<Comparison> battles = Battles.five();
        // expected E_a, Δ, then A, B, C after the step (C 1000 before it is first seen)
        double[][] table = {
            {0.500000, +2.000000, 1002.0000, 998.0000, 1000.0000},
            {0.497122, +2.011513, 1002.0000, 1000.0115, 997.9885},
            {0.505773, -0.023091, 1001.9769, 1000.0115, 998.0116},
            {0.494294, +2.022825, 999.9541, 1000.0115, 1000.0344},
            {0.499917, -1.999669, 997.9544, 1002.0112, 1000.0344},
        };
        for (int i = 0; i < battles.size(); i++) {
            OnlineElo.Step step = elo.apply(battles.get(i));
            assertEquals(table[i][0], step.expectedA(), 1e-6, "E_a step " + (i + 1));
            assertEquals(table[i][1], step.delta(), 1e-6, "delta step " + (i + 1));
            assertRatings(elo, table[i][2], table[i][3], table[i][4]);
        }
    }

    @Test
    void t2_k32_every_step() {
        OnlineElo elo = new OnlineElo(OnlineElo.K32);
        List<Comparison> battles = Battles.five();
        double[][] after = {
            {1016.0, 984.0, 1000.0},
            {1016.0, 1000.7363, 983.2637},
            {1014.4969, 1000.7363, 984.7668},
            {997.1311, 1000.7363, 1002.1326},
            {981.2971, 1016.5703, 1002.1326},
        };
        for (int i = 0; i < battles.size(); i++) {
            elo.apply(battles.get(i));
            assertRatings(elo, after[i][0], after[i][1], after[i][2]);
        }
    }

    @Test
    void run_returns_sorted_snapshot_and_both_bad_scores_as_tie() {
        Map<String, Double> r = OnlineElo.run(Battles.five(), 4);
        assertEquals(List.of("A", "B", "C"), List.copyOf(r.keySet()));
        assertEquals(997.9544, r.get("A"), EPS);

        OnlineElo tie = new OnlineElo(32);
        OnlineElo bothBad = new OnlineElo(32);
        tie.apply("X", "Y", Outcome.A_WINS);
        bothBad.apply("X", "Y", Outcome.A_WINS);
        tie.apply("X", "Y", Outcome.TIE);
        bothBad.apply("X", "Y", Outcome.BOTH_BAD);
        assertEquals(tie.ratings(), bothBad.ratings());
    }

    @Test
    void rejects_self_play_and_bad_parameters() {
        assertThrows(IllegalArgumentException.class, () -> new OnlineElo().apply("A", "A", Outcome.TIE));
        assertThrows(IllegalArgumentException.class, () -> new OnlineElo(0));
        assertThrows(IllegalArgumentException.class, () -> Comparison.of("A", "A", Outcome.TIE));
    }
}
