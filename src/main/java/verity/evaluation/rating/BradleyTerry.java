package verity.evaluation.rating;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Maximum-likelihood Bradley–Terry ratings, FastChat's formulation: p(a beats b) = σ(ln10·(θa − θb)), a tie (or
 * both-bad) is y = 0.5, no regularisation, rating = 400·θ + 1000 with Σθ = 0.
 *
 * <p><b>Disconnected comparison graphs.</b> Ratings in different components of the "has been compared" graph
 * are not comparable; each component is fitted on its own and centred on its own (mean rating 1000 in every
 * component, which is also what FastChat's L-BFGS from θ = 0 produces). Components are numbered by size
 * (largest first, ties by first model name); a model without comparisons is a component of its own at 1000.
 *
 * <p><b>Models that won or lost everything.</b> Within a component the MLE is finite iff the digraph with an
 * edge a→b whenever a scored against b (won or tied at least once) is strongly connected (Zermelo/Ford).
 * Otherwise the likelihood increases without bound as some group's ratings run away. Then, and only then, every
 * observed pair whose two models lie in different strongly connected components (necessarily a pair where one
 * side won every game) gets {@value #VIRTUAL_TIE_WEIGHT} virtual comparisons scored as a tie, i.e. a quarter
 * win each way. This closes every cycle, keeps pairs inside a strongly connected group untouched, is
 * deterministic, and bounds the gap: a 1000–0 record becomes 1000.25 : 0.25, about 1441 rating points. Such
 * components are flagged {@link ModelRating#regularised()}. Where the MLE exists the result is the exact MLE.
 */
public final class BradleyTerry {
    public static final double SCALE = 400;
    public static final double BASE_RATING = 1000;
    public static final double VIRTUAL_TIE_WEIGHT = 0.5;

    /** θ per model (table order), component per model, per-component flags, worst-case solver figures. */
    record Solution(double[] theta, int[] component, boolean[] regularised, int iterations, double relativeGradient) {}

    private BradleyTerry() {}

    public static BtFit fit(PairTable table) {
        return new BtFit(table, solve(table, table.rowCount));
    }

    static double rating(double theta) {
        return SCALE * theta + BASE_RATING;
    }

    /** Fits the table's rows with {@code counts} in place of the table's own counts (bootstrap resamples). */
    static Solution solve(PairTable t, long[] counts) {
        int models = t.modelCount();
        int pairs = t.pairCount();
        double[] n = new double[pairs];
        double[] s = new double[pairs];
        for (int r = 0; r < counts.length; r++) {
            if (counts[r] > 0) {
                int p = t.rowPair[r];
                n[p] += counts[r];
                s[p] += counts[r] * t.rowOutcome[r].scoreA();
            }
        }
        int[] component = components(t, n, models);
        int componentCount = models == 0 ? 0 : Arrays.stream(component).max().getAsInt() + 1;
        int[] size = new int[componentCount];
        int[] local = new int[models];
        for (int i = 0; i < models; i++) {
            local[i] = size[component[i]]++;
        }
        int[][] members = new int[componentCount][];
        for (int c = 0; c < componentCount; c++) {
            members[c] = new int[size[c]];
        }
        for (int i = 0; i < models; i++) {
            members[component[i]][local[i]] = i;
        }
        int[] pairsIn = new int[componentCount];
        for (int p = 0; p < pairs; p++) {
            if (n[p] > 0) {
                pairsIn[component[t.pairA[p]]]++;
            }
        }
        double[] theta = new double[models];
        boolean[] regularised = new boolean[componentCount];
        int iterations = 0;
        double worst = 0;
        for (int c = 0; c < componentCount; c++) {
            int k = 0;
            int[] pi = new int[pairsIn[c]];
            int[] pj = new int[pairsIn[c]];
            double[] cn = new double[pairsIn[c]];
            double[] cs = new double[pairsIn[c]];
            for (int p = 0; p < pairs; p++) {
                if (n[p] > 0 && component[t.pairA[p]] == c) {
                    pi[k] = local[t.pairA[p]];
                    pj[k] = local[t.pairB[p]];
                    cn[k] = n[p];
                    cs[k] = s[p];
                    k++;
                }
            }
            regularised[c] = addVirtualTiesIfDivergent(members[c].length, pi, pj, cn, cs);
            NewtonSolver.Result r = NewtonSolver.solve(members[c].length, pi, pj, cn, cs);
            for (int i = 0; i < members[c].length; i++) {
                theta[members[c][i]] = r.theta()[i];
            }
            iterations = Math.max(iterations, r.iterations());
            worst = Math.max(worst, r.relativeGradient());
        }
        return new Solution(theta, component, regularised, iterations, worst);
    }

    /** Connected components over pairs with weight, numbered by size descending, then by first member. */
    private static int[] components(PairTable t, double[] n, int models) {
        int[] parent = new int[models];
        for (int i = 0; i < models; i++) {
            parent[i] = i;
        }
        for (int p = 0; p < n.length; p++) {
            if (n[p] > 0) {
                int a = find(parent, t.pairA[p]);
                int b = find(parent, t.pairB[p]);
                parent[Math.max(a, b)] = Math.min(a, b);
            }
        }
        int[] size = new int[models];
        for (int i = 0; i < models; i++) {
            size[find(parent, i)]++;
        }
        // Roots are each component's smallest member; order roots by (size desc, root asc).
        Integer[] roots = IntStream.range(0, models).filter(i -> parent[i] == i).boxed()
                .toArray(Integer[]::new);
        Arrays.sort(roots, (x, y) -> size[x] != size[y] ? Integer.compare(size[y], size[x]) : Integer.compare(x, y));
        int[] number = new int[models];
        for (int c = 0; c < roots.length; c++) {
            number[roots[c]] = c;
        }
        int[] component = new int[models];
        for (int i = 0; i < models; i++) {
            component[i] = number[find(parent, i)];
        }
        return component;
    }

    private static int find(int[] parent, int i) {
        while (parent[i] != i) {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        return i;
    }

    /** Applies the documented virtual ties when the component's MLE does not exist; returns whether it did. */
    private static boolean addVirtualTiesIfDivergent(int m, int[] pi, int[] pj, double[] n, double[] s) {
        if (m < 2) {
            return false;
        }
        int[] scc = StrongComponents.of(m, pi, pj, n, s);
        boolean divergent = false;
        for (int k = 0; k < pi.length; k++) {
            if (scc[pi[k]] != scc[pj[k]]) {
                n[k] += VIRTUAL_TIE_WEIGHT;
                s[k] += VIRTUAL_TIE_WEIGHT / 2;
                divergent = true;
            }
        }
        return divergent;
    }
}
