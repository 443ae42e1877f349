import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import verity.evaluation.rating.BradleyTerry;
import verity.evaluation.rating.Bootstrap;
import verity.evaluation.rating.BtFit;
import verity.evaluation.rating.Comparison;
import verity.evaluation.rating.Outcome;
import verity.evaluation.rating.PairTable;

/**
 * Times the rating core on synthetic data: 1,000,000 comparisons over 50 models with latent θ_i ~ N(0, 0.3²)
 * (log10 units), ties more likely between close models (≈17 % overall), scored so the BT-with-ties MLE is
 * consistent. Prints the cold (first) time and the median of 3 warm runs of aggregation, fit and a 100-round
 * bootstrap, plus how well the fit recovers the latent ratings.
 *
 *   ./verity build   (or mvn compile)  then   java -cp target/classes bench/BtBench.java [comparisons] [models]
 */
public class BtBench {
    interface Task {
        Object run();
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int models = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        SplittableRandom rng = new SplittableRandom(2024);
        double[] latent = new double[models];
        for (int i = 0; i < models; i++) {
            latent[i] = 0.3 * gaussian(rng);
        }
        String[] names = new String[models];
        for (int i = 0; i < models; i++) {
            names[i] = "model-" + i;
        }
        long t0 = System.nanoTime();
        List<Comparison> data = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int a = rng.nextInt(models);
            int b = rng.nextInt(models - 1);
            if (b >= a) {
                b++;
            }
            // Ties (a quarter of them both-bad) with probability t = 0.4·min(p, 1 − p), more often between close
            // models; decisive games then go to a with p' = (p − t/2)/(1 − t), so E[score] = p exactly and the
            // tie-as-half MLE is consistent for the latent θ.
            double p = 1 / (1 + Math.pow(10, latent[b] - latent[a]));
            double t = 0.4 * Math.min(p, 1 - p);
            double u = rng.nextDouble();
            Outcome o = u < 0.75 * t ? Outcome.TIE : u < t ? Outcome.BOTH_BAD
                    : rng.nextDouble() < (p - t / 2) / (1 - t) ? Outcome.A_WINS : Outcome.B_WINS;
            data.add(new Comparison(names[a], names[b], o, "judge-" + (k % 1000), 1_700_000_000L + k, List.of()));
        }
        System.out.printf("generated %,d comparisons over %d models in %.0f ms; %d processors%n", count, models,
                (System.nanoTime() - t0) / 1e6, Runtime.getRuntime().availableProcessors());

        PairTable table = (PairTable) time("aggregate (PairTable.of)", () -> PairTable.of(data));
        System.out.printf("  -> %d unique rows, %d pairs%n", table.rowCount(), table.pairCount());
        BtFit fit = (BtFit) time("fit (BradleyTerry.fit)", () -> BradleyTerry.fit(table));
        System.out.printf("  -> %d Newton iterations, relative gradient %.2e, converged %b%n", fit.iterations(),
                fit.relativeGradient(), fit.converged());
        long s0 = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            BradleyTerry.fit(table);
        }
        System.out.printf("%-26s %.2f ms per fit over 200 more fits%n", "fit, steady state",
                (System.nanoTime() - s0) / 200e6);
        Bootstrap.Result boot = (Bootstrap.Result) time("bootstrap, 100 rounds", () -> Bootstrap.run(table, 1));

        double mean = Arrays.stream(latent).average().orElse(0);
        double worst = 0;
        int covered = 0;
        for (Bootstrap.RatedModel m : boot.models()) {
            int i = Integer.parseInt(m.model().substring(6));
            double truth = 1000 + 400 * (latent[i] - mean);
            worst = Math.max(worst, Math.abs(m.rating() - truth));
            covered += m.ciLower() <= truth && truth <= m.ciUpper() ? 1 : 0;
        }
        System.out.printf("recovery: worst |fitted − latent| %.2f rating points; latent inside the 95%% CI for "
                + "%d of %d models%n", worst, covered, models);
        System.out.println("top 5:");
        for (Bootstrap.RatedModel m : boot.models().subList(0, Math.min(5, models))) {
            System.out.printf("  %-10s %8.2f  [%8.2f, %8.2f]  rank %d%n", m.model(), m.rating(), m.ciLower(),
                    m.ciUpper(), m.rank());
        }
    }

    private static Object time(String label, Task task) {
        long c0 = System.nanoTime();
        Object result = task.run();
        double cold = (System.nanoTime() - c0) / 1e6;
        double[] warm = new double[3];
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            result = task.run();
            warm[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(warm);
        System.out.printf("%-26s cold %8.1f ms   median of 3 %8.1f ms   (min %.1f, max %.1f)%n", label, cold, warm[1],
                warm[0], warm[2]);
        return result;
    }

    private static double gaussian(SplittableRandom rng) {
        double u = rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
    }
}
