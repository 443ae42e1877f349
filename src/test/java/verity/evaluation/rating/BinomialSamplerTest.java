package verity.evaluation.rating;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BinomialSamplerTest {
    /** Total-variation distance between the sampled and the exact pmf. */
    private static double tv(long n, double p, int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        long[] hist = new long[(int) n + 1];
        for (int i = 0; i < samples; i++) {
            hist[(int) BinomialSampler.binomial(rng, n, p)]++;
        }
        double d = 0;
        for (int k = 0; k <= n; k++) {
            double logPmf = BinomialSampler.logFactorial(n) - BinomialSampler.logFactorial(k)
                    - BinomialSampler.logFactorial(n - k) + k * Math.log(p) + (n - k) * Math.log1p(-p);
            d += Math.abs((double) hist[k] / samples - Math.exp(logPmf));
        }
        return d / 2;
    }

    @Test
    void pmf_matches_in_both_regimes() {
        // The sampling noise of TV with 400k draws over ~20 cells is about 0.003.
        assertTrue(tv(30, 0.4, 400_000, 1) < 0.006, "BTRS");
        assertTrue(tv(40, 0.8, 400_000, 2) < 0.006, "BTRS mirrored");
        assertTrue(tv(25, 0.2, 400_000, 3) < 0.006, "inversion");
        assertTrue(tv(2000, 0.5, 400_000, 4) < 0.02, "BTRS, wide");
    }

    @Test
    void moments_for_large_n() {
        SplittableRandom rng = new SplittableRandom(9);
        long n = 1_000_000;
        double p = 0.3;
        int draws = 20_000;
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < draws; i++) {
            double x = BinomialSampler.binomial(rng, n, p);
            sum += x;
            sq += x * x;
        }
        double mean = sum / draws;
        double var = sq / draws - mean * mean;
        assertEquals(n * p, mean, 5 * Math.sqrt(n * p * (1 - p) / draws));
        assertEquals(n * p * (1 - p), var, 0.05 * n * p * (1 - p));
    }

    @Test
    void edge_cases_and_multinomial_totals() {
        SplittableRandom rng = new SplittableRandom(0);
        assertEquals(0, BinomialSampler.binomial(rng, 0, 0.5));
        assertEquals(0, BinomialSampler.binomial(rng, 10, 0));
        assertEquals(10, BinomialSampler.binomial(rng, 10, 1));
        long[] w = {5, 0, 1, 1_000_000, 3};
        double[] mean = new double[w.length];
        for (int r = 0; r < 2000; r++) {
            long[] x = BinomialSampler.multinomial(rng, 1_000_009, w);
            assertEquals(1_000_009, Arrays.stream(x).sum());
            assertEquals(0, x[1]);
            for (int k = 0; k < w.length; k++) {
                mean[k] += x[k] / 2000.0;
            }
        }
        assertEquals(5, mean[0], 0.3);
        assertEquals(3, mean[4], 0.3);
    }

    @Test
    void log_factorial_is_continuous_across_the_table_boundary() {
        double viaTable = BinomialSampler.logFactorial(1023) + Math.log(1024);
        assertEquals(viaTable, BinomialSampler.logFactorial(1024), 1e-9);
    }
}
