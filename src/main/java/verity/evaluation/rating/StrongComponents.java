package verity.evaluation.rating;

import java.util.Arrays;

/**
 * Tarjan's strongly connected components of the "scored against" digraph: a→b when a won or tied against b at
 * least once (s > 0), b→a when b did (n − s > 0).
 */
final class StrongComponents {
    private final int[][] adjacency;
    private final int[] index;
    private final int[] low;
    private final int[] component;
    private final int[] stack;
    private final boolean[] onStack;
    private int counter;
    private int top;
    private int components;

    private StrongComponents(int m, int[] pi, int[] pj, double[] n, double[] s) {
        int[] degree = new int[m];
        for (int k = 0; k < pi.length; k++) {
            if (s[k] > 0) {
                degree[pi[k]]++;
            }
            if (n[k] - s[k] > 0) {
                degree[pj[k]]++;
            }
        }
        adjacency = new int[m][];
        for (int i = 0; i < m; i++) {
            adjacency[i] = new int[degree[i]];
            degree[i] = 0;
        }
        for (int k = 0; k < pi.length; k++) {
            if (s[k] > 0) {
                adjacency[pi[k]][degree[pi[k]]++] = pj[k];
            }
            if (n[k] - s[k] > 0) {
                adjacency[pj[k]][degree[pj[k]]++] = pi[k];
            }
        }
        index = new int[m];
        Arrays.fill(index, -1);
        low = new int[m];
        component = new int[m];
        stack = new int[m];
        onStack = new boolean[m];
    }

    /** Component id per model (ids are arbitrary but deterministic). */
    static int[] of(int m, int[] pi, int[] pj, double[] n, double[] s) {
        StrongComponents sc = new StrongComponents(m, pi, pj, n, s);
        for (int v = 0; v < m; v++) {
            if (sc.index[v] < 0) {
                sc.visit(v);
            }
        }
        return sc.component;
    }

    private void visit(int v) {
        index[v] = low[v] = counter++;
        stack[top++] = v;
        onStack[v] = true;
        for (int w : adjacency[v]) {
            if (index[w] < 0) {
                visit(w);
                low[v] = Math.min(low[v], low[w]);
            } else if (onStack[w]) {
                low[v] = Math.min(low[v], index[w]);
            }
        }
        if (low[v] == index[v]) {
            int w;
            do {
                w = stack[--top];
                onStack[w] = false;
                component[w] = components;
            } while (w != v);
            components++;
        }
    }
}
