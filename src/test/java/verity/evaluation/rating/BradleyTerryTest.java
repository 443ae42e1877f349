package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BradleyTerryTest {
    private static final double LN10 = Math.log(10);

    private static PairTable table(Object... rows) {
        PairTable.Builder b = PairTable.builder();
        for (int i = 0; i < rows.length; i += 4) {
            b.add((String) rows[i], (String) rows[i + 1], (Outcome) rows[i + 2], ((Number) rows[i + 3]).longValue());
        }
        return b.build();
    }

    @Test
    void t3_five_battles() {
        BtFit fit = BradleyTerry.fit(PairTable.of(Battles.five()));
        assertEquals(939.84, fit.rating("A"), 0.01);
        assertEquals(1075.58, fit.rating("B"), 0.01);
        assertEquals(984.58, fit.rating("C"), 0.01);
        assertEquals(-0.150394, fit.theta("A"), 1e-6);
        assertEquals(0.188951, fit.theta("B"), 1e-6);
        assertEquals(-0.038557, fit.theta("C"), 1e-6);
        assertEquals(0.0, fit.theta("A") + fit.theta("B") + fit.theta("C"), 1e-15);
        assertEquals(0.314025, fit.winProbability("A", "B"), 1e-6);
        assertEquals(0.628049, fit.winProbability("B", "C"), 1e-6);
        assertEquals(0.435975, fit.winProbability("A", "C"), 1e-6);
        assertTrue(fit.converged());
        assertTrue(fit.relativeGradient() < 1e-12, "gradient " + fit.relativeGradient());
        assertFalse(fit.ratings().get(0).regularised());
    }

    @Test
    void t3_both_bad_is_a_tie_and_the_tie_equals_two_half_rows() {
        List<Comparison> bothBad = new ArrayList<>(Battles.five());
        bothBad.set(2, Comparison.of("A", "C", Outcome.BOTH_BAD));
        assertEquals(939.84, BradleyTerry.fit(PairTable.of(bothBad)).rating("A"), 0.01);
        // A tie as one win each way with every decisive game doubled: the same likelihood up to a factor 2.
        PairTable doubled = table("A", "B", Outcome.A_WINS, 2, "B", "C", Outcome.A_WINS, 2, "A", "C", Outcome.A_WINS, 1,
                "A", "C", Outcome.B_WINS, 1, "C", "A", Outcome.A_WINS, 2, "A", "B", Outcome.B_WINS, 2);
        assertEquals(1075.58, BradleyTerry.fit(doubled).rating("B"), 0.01);
    }

    @Test
    void t4_two_model_closed_form() {
        BtFit fit = BradleyTerry.fit(table("A", "B", Outcome.A_WINS, 3, "A", "B", Outcome.B_WINS, 1));
        assertEquals(400 * Math.log10(3), fit.rating("A") - fit.rating("B"), 1e-9);
        assertEquals(190.8485, fit.rating("A") - fit.rating("B"), 1e-4);
        assertEquals(1095.4243, fit.rating("A"), 1e-4);
        assertEquals(904.5757, fit.rating("B"), 1e-4);
    }

    /** Plain gradient descent over the individual comparisons, run to convergence. */
    private static double[] gradientDescent(List<Comparison> data, int models) {
        double[] theta = new double[models];
        int[] degree = new int[models];
        for (Comparison c : data) {
            degree[index(c.modelA())]++;
            degree[index(c.modelB())]++;
        }
        int dmax = Arrays.stream(degree).max().getAsInt();
        // The Hessian is at most (ln10²/4)·Laplacian and λmax(Laplacian) ≤ 2·dmax, so this step is safe.
        double step = 2 / (LN10 * LN10 * dmax);
        for (int it = 0; it < 1_000_000; it++) {
            double[] g = new double[models];
            for (Comparison c : data) {
                int a = index(c.modelA());
                int b = index(c.modelB());
                double p = 1 / (1 + Math.exp(-LN10 * (theta[a] - theta[b])));
                double r = LN10 * (p - c.outcome().scoreA());
                g[a] += r;
                g[b] -= r;
            }
            double max = 0;
            for (int i = 0; i < models; i++) {
                theta[i] -= step * g[i];
                max = Math.max(max, Math.abs(g[i]));
            }
            if (max < 1e-10) {
                break;
            }
        }
        double mean = Arrays.stream(theta).average().orElse(0);
        for (int i = 0; i < models; i++) {
            theta[i] = 400 * (theta[i] - mean) + 1000;
        }
        return theta;
    }

    private static int index(String name) {
        return Integer.parseInt(name.substring(1));
    }

    @Test
    void matches_brute_force_gradient_descent_on_random_data() {
        for (long seed = 1; seed <= 3; seed++) {
            List<Comparison> data = Battles.random(6, 500, seed);
            double[] expected = gradientDescent(data, 6);
            BtFit fit = BradleyTerry.fit(PairTable.of(data));
            for (int i = 0; i < 6; i++) {
                assertEquals(expected[i], fit.rating(Battles.name(i)), 1e-3, "seed " + seed + " model " + i);
            }
            assertTrue(fit.relativeGradient() <= 1e-12, "gradient " + fit.relativeGradient());
        }
    }

    @Test
    void undefeated_model_is_bounded_by_half_a_virtual_tie() {
        // A won all 5 games against B; B and C split 2–1. Without the prior A would run off to infinity.
        BtFit fit = BradleyTerry.fit(table("A", "B", Outcome.A_WINS, 5, "B", "C", Outcome.A_WINS, 2,
                "B", "C", Outcome.B_WINS, 1));
        // A tree, so each edge fits its own record: A–B becomes 5.25 : 0.25, B–C stays 2 : 1.
        assertEquals(400 * Math.log10(21), fit.rating("A") - fit.rating("B"), 1e-9);
        assertEquals(400 * Math.log10(2), fit.rating("B") - fit.rating("C"), 1e-9);
        assertTrue(fit.ratings().stream().allMatch(ModelRating::regularised));
        assertTrue(fit.converged());
    }

    @Test
    void a_cycle_of_clean_sweeps_has_a_finite_mle_and_is_not_regularised() {
        BtFit fit = BradleyTerry.fit(table("A", "B", Outcome.A_WINS, 3, "B", "C", Outcome.A_WINS, 3,
                "A", "C", Outcome.B_WINS, 3));
        for (ModelRating r : fit.ratings()) {
            assertEquals(1000, r.rating(), 1e-9);
            assertFalse(r.regularised());
        }
    }

    @Test
    void disconnected_components_are_fitted_and_centred_separately() {
        PairTable t = PairTable.builder()
                .add("A", "B", Outcome.A_WINS, 3).add("A", "B", Outcome.B_WINS, 1)
                .add("C", "D", Outcome.A_WINS, 2).add("D", "E", Outcome.TIE, 1).add("C", "E", Outcome.B_WINS, 1)
                .addModel("Z")
                .build();
        BtFit fit = BradleyTerry.fit(t);
        assertEquals(3, fit.componentCount());
        assertEquals(0, fit.component("C"));
        assertEquals(1, fit.component("A"));
        assertEquals(2, fit.component("Z"));
        assertEquals(1095.4243, fit.rating("A"), 1e-4);
        assertEquals(904.5757, fit.rating("B"), 1e-4);
        assertEquals(3000, fit.rating("C") + fit.rating("D") + fit.rating("E"), 1e-9);
        assertEquals(1000, fit.rating("Z"), 0);
        assertEquals(0, t.comparisonsOf("Z"));
        assertNull(fit.winProbability("A", "C"));
        assertTrue(fit.converged());
    }

    @Test
    void one_model_and_no_models() {
        BtFit solo = BradleyTerry.fit(PairTable.builder().addModel("solo").build());
        assertEquals(1000, solo.rating("solo"), 0);
        assertEquals(0.5, solo.winProbability("solo", "solo"));
        assertTrue(solo.converged());
        BtFit none = BradleyTerry.fit(PairTable.of(List.of()));
        assertTrue(none.ratings().isEmpty());
        assertEquals(0, none.componentCount());
    }

    @Test
    void large_counts_converge_tightly_and_recover_latent_strengths() {
        // 50 models, every pair 816 times (≈1M comparisons), counts set to their expected values.
        PairTable.Builder b = PairTable.builder();
        for (int i = 0; i < 50; i++) {
            for (int j = i + 1; j < 50; j++) {
                double p = 1 / (1 + Math.pow(10, -0.02 * (i - j)));
                long ties = 120;
                long wins = Math.round(696 * p);
                b.add(Battles.name(i), Battles.name(j), Outcome.A_WINS, wins)
                        .add(Battles.name(i), Battles.name(j), Outcome.B_WINS, 696 - wins)
                        .add(Battles.name(i), Battles.name(j), Outcome.TIE, ties);
            }
        }
        BtFit fit = BradleyTerry.fit(b.build());
        assertTrue(fit.relativeGradient() <= 1e-9, "gradient " + fit.relativeGradient());
        // Ties pull ratings together by a factor of about 696/816, rounding adds noise: check the order only.
        for (int i = 1; i < 50; i++) {
            assertTrue(fit.rating(Battles.name(i)) > fit.rating(Battles.name(i - 1)) - 1);
        }
    }
}
