package verity.evaluation.rating;

import java.util.Arrays;

/**
 * Newton–Raphson with Armijo backtracking for the Bradley–Terry negative log-likelihood of one connected
 * component whose MLE exists. The gauge is fixed by holding the last model at θ = 0 (an (m−1)-dimensional problem
 * whose Hessian, a weighted graph Laplacian with one row and column removed, is positive definite); the result is
 * centred afterwards. The objective is convex, so backtracking Newton from θ = 0 converges globally and then
 * quadratically.
 */
final class NewtonSolver {
    static final double ALPHA = Math.log(10);
    /** Stop target for max_i |∂L/∂θ_i| / (α·W); usually reached in under 10 iterations. */
    static final double TARGET = 1e-13;
    /** Guaranteed bound; {@link BtFit#converged()} reports whether it was met. */
    static final double REQUIRED = 1e-9;
    private static final int MAX_ITERATIONS = 100;

    record Result(double[] theta, int iterations, double relativeGradient) {}

    private NewtonSolver() {}

    /**
     * @param m models, local indices 0..m−1
     * @param pi,pj pair ends
     * @param n total weight of each pair
     * @param s score of {@code pi} in each pair (wins + half the ties)
     */
    static Result solve(int m, int[] pi, int[] pj, double[] n, double[] s) {
        double[] theta = new double[m];
        if (m == 1) {
            return new Result(theta, 0, 0);
        }
        double total = 0;
        for (double w : n) {
            total += w;
        }
        double[] g = new double[m];
        double[][] h = new double[m - 1][m - 1];
        double f = evaluate(theta, pi, pj, n, s, g, h);
        double rel = maxAbs(g) / (ALPHA * total);
        int iterations = 0;
        double[] trial = new double[m];
        while (rel > TARGET && iterations < MAX_ITERATIONS) {
            double[] d = newtonDirection(h, g, m);
            double slope = 0;
            for (int i = 0; i < m; i++) {
                slope += g[i] * d[i];
            }
            double t = 1;
            boolean roundingRegime = -slope <= 1e-14 * (Math.abs(f) + 1);
            while (true) {
                for (int i = 0; i < m; i++) {
                    trial[i] = theta[i] + t * d[i];
                }
                // Near the optimum the predicted decrease is below the rounding of f: take the full step.
                if (roundingRegime || evaluate(trial, pi, pj, n, s, null, null) <= f + 1e-4 * t * slope) {
                    break;
                }
                t *= 0.5;
                if (t < 1e-12) {
                    return finish(theta, iterations, rel);
                }
            }
            double[] swap = theta;
            theta = trial;
            trial = swap;
            iterations++;
            double previous = rel;
            f = evaluate(theta, pi, pj, n, s, g, h);
            rel = maxAbs(g) / (ALPHA * total);
            if (roundingRegime && rel >= previous && rel <= REQUIRED) {
                break;
            }
        }
        return finish(theta, iterations, rel);
    }

    private static Result finish(double[] theta, int iterations, double rel) {
        double mean = 0;
        for (double v : theta) {
            mean += v;
        }
        mean /= theta.length;
        for (int i = 0; i < theta.length; i++) {
            theta[i] -= mean;
        }
        return new Result(theta, iterations, rel);
    }

    /** Objective; when {@code g} is non-null also the full gradient and the reduced Hessian. */
    private static double evaluate(double[] theta, int[] pi, int[] pj, double[] n, double[] s, double[] g,
            double[][] h) {
        if (g != null) {
            Arrays.fill(g, 0);
            for (double[] row : h) {
                Arrays.fill(row, 0);
            }
        }
        int last = theta.length - 1;
        double f = 0;
        for (int k = 0; k < pi.length; k++) {
            int a = pi[k];
            int b = pj[k];
            double z = ALPHA * (theta[a] - theta[b]);
            // One exp and one log1p per pair: with e = exp(−|z|), softplus(±z) = max(±z, 0) + log1p(e).
            double e = Math.exp(-Math.abs(z));
            double log1pE = Math.log1p(e);
            f += s[k] * (Math.max(-z, 0) + log1pE) + (n[k] - s[k]) * (Math.max(z, 0) + log1pE);
            if (g != null) {
                double p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
                double q = z >= 0 ? e / (1 + e) : 1 / (1 + e);
                double r = ALPHA * (n[k] * p - s[k]);
                g[a] += r;
                g[b] -= r;
                double w = ALPHA * ALPHA * n[k] * p * q;
                if (a != last) {
                    h[a][a] += w;
                }
                if (b != last) {
                    h[b][b] += w;
                }
                if (a != last && b != last) {
                    h[a][b] -= w;
                    h[b][a] -= w;
                }
            }
        }
        return f;
    }

    /** Solves H d = −g on the first m−1 coordinates (d[m−1] = 0) by Cholesky, adding a ridge if H is singular. */
    private static double[] newtonDirection(double[][] h, double[] g, int m) {
        int k = m - 1;
        double maxDiag = 0;
        for (int i = 0; i < k; i++) {
            maxDiag = Math.max(maxDiag, h[i][i]);
        }
        double ridge = 0;
        double[][] l = new double[k][k];
        for (int attempt = 0; !cholesky(h, l, ridge); attempt++) {
            if (attempt == 30) {
                throw new IllegalStateException("Hessian not positive definite even with ridge " + ridge);
            }
            ridge = ridge == 0 ? 1e-12 * Math.max(maxDiag, 1e-300) : ridge * 100;
        }
        double[] y = new double[k];
        for (int i = 0; i < k; i++) {
            double v = -g[i];
            for (int j = 0; j < i; j++) {
                v -= l[i][j] * y[j];
            }
            y[i] = v / l[i][i];
        }
        double[] d = new double[m];
        for (int i = k - 1; i >= 0; i--) {
            double v = y[i];
            for (int j = i + 1; j < k; j++) {
                v -= l[j][i] * d[j];
            }
            d[i] = v / l[i][i];
        }
        return d;
    }

    private static boolean cholesky(double[][] a, double[][] l, double ridge) {
        int k = a.length;
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double v = a[i][j] + (i == j ? ridge : 0);
                for (int t = 0; t < j; t++) {
                    v -= l[i][t] * l[j][t];
                }
                if (i == j) {
                    if (!(v > 0)) {
                        return false;
                    }
                    l[i][i] = Math.sqrt(v);
                } else {
                    l[i][j] = v / l[j][j];
                }
            }
        }
        return true;
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
