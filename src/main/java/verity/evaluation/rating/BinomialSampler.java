package verity.evaluation.rating;

import java.util.random.RandomGenerator;

/**
 * Exact binomial and multinomial variates from a caller-supplied generator (no global state, so results are
 * reproducible from a seed). Binomial: inversion by sequential search when n·min(p, 1−p) &lt; 10, otherwise
 * Hörmann's transformed rejection with squeeze (BTRS, "The generation of binomial random variates", J. Statist.
 * Comput. Simul. 46, 1993). Both are exact up to floating-point rounding.
 */
public final class BinomialSampler {
    private static final int TABLE = 1024;
    private static final double[] LOG_FACTORIAL = new double[TABLE];

    static {
        for (int k = 1; k < TABLE; k++) {
            LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1] + Math.log(k);
        }
    }

    private BinomialSampler() {}

    /** One Binomial(n, p) variate. */
    public static long binomial(RandomGenerator rng, long n, double p) {
        if (n < 0 || !(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("binomial(" + n + ", " + p + ")");
        }
        if (n == 0 || p == 0) {
            return 0;
        }
        if (p == 1) {
            return n;
        }
        return p <= 0.5 ? lowerHalf(rng, n, p) : n - lowerHalf(rng, n, 1 - p);
    }

    /**
     * Multinomial counts summing to {@code n} with probabilities proportional to {@code weights}, drawn as
     * conditional binomials in index order: x_k ~ Binomial(n − Σ_{j<k} x_j, w_k / Σ_{j≥k} w_j).
     */
    public static long[] multinomial(RandomGenerator rng, long n, long[] weights) {
        long[] out = new long[weights.length];
        long remainingWeight = 0;
        for (long w : weights) {
            if (w < 0) {
                throw new IllegalArgumentException("negative weight " + w);
            }
            remainingWeight += w;
        }
        long remaining = n;
        for (int k = 0; k < weights.length && remaining > 0; k++) {
            if (weights[k] == 0) {
                continue;
            }
            long x = weights[k] == remainingWeight ? remaining
                    : binomial(rng, remaining, (double) weights[k] / remainingWeight);
            out[k] = x;
            remaining -= x;
            remainingWeight -= weights[k];
        }
        if (remaining > 0) {
            throw new IllegalArgumentException("all weights are zero");
        }
        return out;
    }

    private static long lowerHalf(RandomGenerator rng, long n, double p) {
        return n * p < 10 ? inversion(rng, n, p) : btrs(rng, n, p);
    }

    private static long inversion(RandomGenerator rng, long n, double p) {
        double ratio = p / (1 - p);
        double p0 = Math.exp(n * Math.log1p(-p));
        while (true) {
            double u = rng.nextDouble();
            double f = p0;
            long k = 0;
            while (u > f) {
                u -= f;
                k++;
                if (k > n) {
                    break; // rounding left some mass unassigned: draw again
                }
                f *= ratio * (n - k + 1) / k;
            }
            if (k <= n) {
                return k;
            }
        }
    }

    private static long btrs(RandomGenerator rng, long n, double p) {
        double q = 1 - p;
        double spq = Math.sqrt(n * p * q);
        double b = 1.15 + 2.53 * spq;
        double a = -0.0873 + 0.0248 * b + 0.01 * p;
        double c = n * p + 0.5;
        double alpha = (2.83 + 5.1 / b) * spq;
        double vr = 0.92 - 4.2 / b;
        long m = (long) Math.floor((n + 1) * p);
        double lpq = Math.log(p / q);
        double h = logFactorial(m) + logFactorial(n - m);
        while (true) {
            double u = rng.nextDouble() - 0.5;
            double v = rng.nextDouble();
            double us = 0.5 - Math.abs(u);
            double kd = Math.floor((2 * a / us + b) * u + c);
            if (kd < 0 || kd > n) {
                continue;
            }
            long k = (long) kd;
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            double lhs = Math.log(v * alpha / (a / (us * us) + b));
            if (lhs <= h - logFactorial(k) - logFactorial(n - k) + (k - m) * lpq) {
                return k;
            }
        }
    }

    /** ln k!, from a table below 1024 and Stirling's series above (error below 1e-20 there). */
    static double logFactorial(long k) {
        if (k < TABLE) {
            return LOG_FACTORIAL[(int) k];
        }
        double x = k;
        double inv = 1 / x;
        double inv2 = inv * inv;
        return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x)
                + inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 / 1680)));
    }
}
