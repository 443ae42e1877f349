package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static Map<String, Bootstrap.RatedModel> byModel(Bootstrap.Result r) {
        return r.models().stream().collect(Collectors.toMap(Bootstrap.RatedModel::model, Function.identity()));
    }

    @Test
    void same_seed_same_intervals_other_seed_close_but_different() {
        PairTable t = PairTable.of(Battles.random(10, 20_000, 3));
        Bootstrap.Result a = Bootstrap.run(t, 42);
        Bootstrap.Result b = Bootstrap.run(t, 42);
        Bootstrap.Result c = Bootstrap.run(t, 43);
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals(100, a.rounds());
        assertEquals(20_000, a.comparisons());
        assertTrue(a.converged());
        Map<String, Bootstrap.RatedModel> ma = byModel(a);
        for (Bootstrap.RatedModel mc : c.models()) {
            Bootstrap.RatedModel m = ma.get(mc.model());
            assertEquals(m.rating(), mc.rating(), 0.0);
            double width = m.ciUpper() - m.ciLower();
            assertTrue(width > 0);
            assertTrue(m.ciLower() < m.rating() && m.rating() < m.ciUpper(), m.toString());
            assertNotEquals(m.ciLower(), mc.ciLower());
            assertEquals(m.ciLower(), mc.ciLower(), 0.5 * width);
            assertEquals(m.ciUpper(), mc.ciUpper(), 0.5 * width);
        }
    }

    @Test
    void interval_width_matches_the_delta_method_for_two_models() {
        // A wins 600 of 1000. Rating gap d = 400·log10(p/(1−p)); SE(p̂) = √(p(1−p)/n); dd/dp = 400/(ln10·p(1−p)).
        // Each model is ±d/2 around 1000, so its 95 % half-width ≈ 1.96·SE(d)/2 ≈ 10.97.
        PairTable t = PairTable.builder().add("A", "B", Outcome.A_WINS, 600).add("A", "B", Outcome.B_WINS, 400).build();
        Bootstrap.RatedModel a = byModel(Bootstrap.run(t, 1, 2000)).get("A");
        double se = 400 / (Math.log(10) * 0.24) * Math.sqrt(0.24 / 1000);
        assertEquals(1.96 * se / 2, (a.ciUpper() - a.ciLower()) / 2, 1.0);
        assertEquals(1000 + 200 * Math.log10(1.5), a.rating(), 1e-9);
    }

    @Test
    void rank_counts_models_whose_lower_bound_beats_my_upper_bound() {
        // intervals: M1 [1100, 1200], M2 [1050, 1150], M3 [900, 1000], M4 [990, 1060]
        double[] lower = {1100, 1050, 900, 990};
        double[] upper = {1200, 1150, 1000, 1060};
        // M1: none above 1200 → 1; M2: 1100 > 1150? no → 1; M3: 1100, 1050 > 1000 → 3 (M4's 990 is not);
        // M4: 1100 > 1060 → 2 (M2's 1050 is not).
        assertArrayEquals(new int[] {1, 1, 3, 2}, Bootstrap.ranks(lower, upper, new int[4]));
        // Across components nothing is compared.
        assertArrayEquals(new int[] {1, 1, 1, 1}, Bootstrap.ranks(lower, upper, new int[] {0, 1, 2, 3}));
    }

    @Test
    void quantile_interpolates_linearly_like_numpy() {
        double[] v = {1, 2, 3, 4};
        assertEquals(1.075, Bootstrap.quantile(v, 0.025), 1e-12); // position 0.075
        assertEquals(3.925, Bootstrap.quantile(v, 0.975), 1e-12); // position 2.925
        assertEquals(4, Bootstrap.quantile(v, 1), 0);
        assertEquals(7, Bootstrap.quantile(new double[] {7}, 0.5), 0);
    }

    @Test
    void results_are_sorted_and_degenerate_inputs_work() {
        Bootstrap.Result r = Bootstrap.run(PairTable.of(Battles.five()), 0, 50);
        assertEquals("B", r.models().get(0).model());
        assertEquals("A", r.models().get(2).model());
        Bootstrap.Result solo = Bootstrap.run(PairTable.builder().addModel("solo").build(), 0, 10);
        assertEquals(new Bootstrap.RatedModel("solo", 1000, 1000, 1000, 1, 0, 0, false), solo.models().get(0));
        assertThrows(IllegalArgumentException.class, () -> Bootstrap.run(PairTable.of(Battles.five()), 0, 0));
    }
}
