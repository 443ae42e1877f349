package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Test data: the five battles of feedback-anchors.md §4.6 and seeded random comparisons. */
final class Battles {
    private Battles() {}

    /** 1 A>B, 2 B>C, 3 A=C, 4 C>A (C was model_a), 5 B>A (B was model_b). */
    static List<Comparison> five() {
        return List.of(
                Comparison.of("A", "B", Outcome.A_WINS),
                Comparison.of("B", "C", Outcome.A_WINS),
                Comparison.of("A", "C", Outcome.TIE),
                Comparison.of("C", "A", Outcome.A_WINS),
                Comparison.of("A", "B", Outcome.B_WINS));
    }

    /**
     * {@code count} comparisons between {@code models} models named m00, m01, … with latent θ_i = 0.1·i (log10
     * units); 15 % ties and 5 % both-bad, the rest decided by the BT probability.
     */
    static List<Comparison> random(int models, int count, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Comparison> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int a = rng.nextInt(models);
            int b = rng.nextInt(models - 1);
            if (b >= a) {
                b++;
            }
            double u = rng.nextDouble();
            Outcome o;
            if (u < 0.15) {
                o = Outcome.TIE;
            } else if (u < 0.20) {
                o = Outcome.BOTH_BAD;
            } else {
                double p = 1 / (1 + Math.pow(10, -0.1 * (a - b)));
                o = rng.nextDouble() < p ? Outcome.A_WINS : Outcome.B_WINS;
            }
            out.add(Comparison.of(name(a), name(b), o));
        }
        return out;
    }

    static String name(int i) {
        return String.format("m%02d", i);
    }
}
