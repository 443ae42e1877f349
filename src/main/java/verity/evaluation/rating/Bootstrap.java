package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Bootstrap confidence intervals for Bradley–Terry ratings, FastChat's {@code compute_bootstrap_bt}: each round
 * draws multinomial counts over the table's unique rows with n = total comparisons (equivalent to resampling
 * comparisons with replacement), refits, and the interval is the 2.5 % and 97.5 % quantiles of the round ratings
 * (linear interpolation between order statistics, numpy's default). The reported rating is the full-data fit.
 *
 * <p>Determinism: round r uses {@code new SplittableRandom(roundSeed(seed, r))} and draws rows in canonical
 * table order, so the result depends only on (table, seed, rounds), not on thread scheduling or input order.
 *
 * <p>Rank: {@code 1 + |{m' : ciLower(m') > ciUpper(m)}|}, counting only models in the same component (ratings in
 * different components are not comparable; with a connected graph this is exactly FastChat's rule).
 */
public final class Bootstrap {
    public static final int DEFAULT_ROUNDS = 100;
    public static final double LOWER = 0.025;
    public static final double UPPER = 0.975;

    public record RatedModel(String model, double rating, double ciLower, double ciUpper, int rank, long comparisons,
            int component, boolean regularised) {}

    /**
     * @param models sorted by rating (highest first), then model id
     * @param converged whether the full fit and every round met the 1e-9 relative gradient bound
     */
    public record Result(List<RatedModel> models, long seed, int rounds, long comparisons, boolean converged) {}

    private Bootstrap() {}

    public static Result run(PairTable table, long seed) {
        return run(table, seed, DEFAULT_ROUNDS);
    }

    public static Result run(PairTable table, long seed, int rounds) {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be at least 1, got " + rounds);
        }
        BtFit full = BradleyTerry.fit(table);
        int m = table.modelCount();
        double[][] samples = new double[m][rounds];
        boolean[] roundConverged = new boolean[rounds];
        IntStream.range(0, rounds).parallel().forEach(r -> {
            SplittableRandom rng = new SplittableRandom(roundSeed(seed, r));
            long[] counts = BinomialSampler.multinomial(rng, table.total(), table.rowCount);
            BradleyTerry.Solution s = BradleyTerry.solve(table, counts);
            for (int i = 0; i < m; i++) {
                samples[i][r] = BradleyTerry.rating(s.theta()[i]);
            }
            roundConverged[r] = s.relativeGradient() <= NewtonSolver.REQUIRED;
        });
        double[] lower = new double[m];
        double[] upper = new double[m];
        for (int i = 0; i < m; i++) {
            Arrays.sort(samples[i]);
            lower[i] = quantile(samples[i], LOWER);
            upper[i] = quantile(samples[i], UPPER);
        }
        int[] component = full.componentArray();
        int[] rank = ranks(lower, upper, component);
        List<ModelRating> ratings = full.ratings();
        List<RatedModel> out = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            ModelRating mr = ratings.get(i);
            out.add(new RatedModel(mr.model(), mr.rating(), lower[i], upper[i], rank[i], mr.comparisons(),
                    mr.component(), mr.regularised()));
        }
        out.sort(Comparator.comparingDouble(RatedModel::rating).reversed().thenComparing(RatedModel::model));
        boolean converged = full.converged();
        for (boolean c : roundConverged) {
            converged &= c;
        }
        return new Result(List.copyOf(out), seed, rounds, table.total(), converged);
    }

    /** numpy's default ("linear") quantile of ascending {@code sorted}: interpolate at position q·(N − 1). */
    public static double quantile(double[] sorted, double q) {
        if (sorted.length == 0 || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("quantile " + q + " of " + sorted.length + " values");
        }
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Rank of each model: 1 + number of models of the same component whose lower bound exceeds its upper one. */
    public static int[] ranks(double[] lower, double[] upper, int[] component) {
        int[] rank = new int[lower.length];
        for (int i = 0; i < lower.length; i++) {
            rank[i] = 1;
            for (int j = 0; j < lower.length; j++) {
                if (j != i && component[j] == component[i] && lower[j] > upper[i]) {
                    rank[i]++;
                }
            }
        }
        return rank;
    }

    /** Independent, well-mixed seed for each round (SplitMix64 finaliser over seed + (round+1)·golden gamma). */
    static long roundSeed(long seed, int round) {
        long z = seed + (round + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
