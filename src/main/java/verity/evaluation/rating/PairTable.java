package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Comparisons collapsed into canonical unique rows {@code (a, b, outcome, count)}: models are sorted by
 * {@link String#compareTo}, every row has {@code a < b} (the outcome flipped when the sides were swapped), and rows
 * are ordered by (a, b, outcome ordinal). Counts are exact integer sums, so any permutation of the same comparisons,
 * or the same comparisons with sides swapped, gives an identical table ({@link #equals}).
 *
 * <p>Models may also be registered without comparisons ({@link Builder#addModel}); they are rated but isolated.
 */
public final class PairTable {
    private static final Outcome[] OUTCOMES = Outcome.values();

    /** One canonical row: {@code modelA < modelB}. */
    public record Row(String modelA, String modelB, Outcome outcome, long count) {}

    private final List<String> models;
    private final Map<String, Integer> index;
    final int[] rowA;
    final int[] rowB;
    final Outcome[] rowOutcome;
    final long[] rowCount;
    /** Row → index of its unordered pair; pairs are the distinct (a, b) in row order. */
    final int[] rowPair;
    final int[] pairA;
    final int[] pairB;
    private final long[] perModel;
    private final long total;

    private PairTable(List<String> models, int[] rowA, int[] rowB, Outcome[] rowOutcome, long[] rowCount) {
        this.models = List.copyOf(models);
        this.index = new HashMap<>();
        for (int i = 0; i < models.size(); i++) {
            index.put(models.get(i), i);
        }
        this.rowA = rowA;
        this.rowB = rowB;
        this.rowOutcome = rowOutcome;
        this.rowCount = rowCount;
        this.rowPair = new int[rowA.length];
        int pairs = 0;
        for (int r = 0; r < rowA.length; r++) {
            if (r > 0 && (rowA[r] != rowA[r - 1] || rowB[r] != rowB[r - 1])) {
                pairs++;
            }
            rowPair[r] = pairs;
        }
        int pairCount = rowA.length == 0 ? 0 : pairs + 1;
        this.pairA = new int[pairCount];
        this.pairB = new int[pairCount];
        this.perModel = new long[models.size()];
        long sum = 0;
        for (int r = 0; r < rowA.length; r++) {
            pairA[rowPair[r]] = rowA[r];
            pairB[rowPair[r]] = rowB[r];
            perModel[rowA[r]] += rowCount[r];
            perModel[rowB[r]] += rowCount[r];
            sum += rowCount[r];
        }
        this.total = sum;
    }

    public static PairTable of(Iterable<Comparison> comparisons) {
        Builder b = new Builder();
        for (Comparison c : comparisons) {
            b.add(c);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Sorted model ids. */
    public List<String> models() {
        return models;
    }

    public int modelCount() {
        return models.size();
    }

    /** Position of {@code model} in {@link #models()}, or -1. */
    public int indexOf(String model) {
        Integer i = index.get(model);
        return i == null ? -1 : i;
    }

    public int rowCount() {
        return rowA.length;
    }

    public int pairCount() {
        return pairA.length;
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>(rowA.length);
        for (int r = 0; r < rowA.length; r++) {
            rows.add(new Row(models.get(rowA[r]), models.get(rowB[r]), rowOutcome[r], rowCount[r]));
        }
        return rows;
    }

    /** Total number of comparisons. */
    public long total() {
        return total;
    }

    /** Number of comparisons {@code model} took part in (0 when unknown). */
    public long comparisonsOf(String model) {
        int i = indexOf(model);
        return i < 0 ? 0 : perModel[i];
    }

    long comparisonsOf(int model) {
        return perModel[model];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PairTable t && models.equals(t.models) && Arrays.equals(rowA, t.rowA)
                && Arrays.equals(rowB, t.rowB) && Arrays.equals(rowOutcome, t.rowOutcome)
                && Arrays.equals(rowCount, t.rowCount);
    }

    @Override
    public int hashCode() {
        return Objects.hash(models, Arrays.hashCode(rowA), Arrays.hashCode(rowB), Arrays.hashCode(rowCount));
    }

    @Override
    public String toString() {
        return "PairTable" + rows();
    }

    /** Accumulates comparisons; single-threaded. */
    public static final class Builder {
        private final Map<String, Integer> ids = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        /**
         * Open-addressing map (linear probing) from (encounter id of a) << 32 | (encounter id of b), sides as
         * given, to a slot of four counts (one per outcome ordinal) in {@code counts}; -1 marks a free key.
         * Avoids boxing on the per-comparison path, which dominates aggregation of millions of comparisons.
         */
        private long[] keys = newKeys(64);
        private int[] slots = new int[64];
        private long[] counts = new long[64 * OUTCOMES.length];
        private int used;

        private static long[] newKeys(int capacity) {
            long[] k = new long[capacity];
            Arrays.fill(k, -1L);
            return k;
        }

        private static int home(long key, int mask) {
            int h = (int) (key ^ (key >>> 29)) * 0x9E3779B9;
            return (h ^ (h >>> 16)) & mask;
        }

        private int slot(long key) {
            int mask = keys.length - 1;
            for (int i = home(key, mask); ; i = (i + 1) & mask) {
                if (keys[i] == key) {
                    return slots[i];
                }
                if (keys[i] == -1L) {
                    if (2 * (used + 1) > keys.length) {
                        grow();
                        return slot(key);
                    }
                    keys[i] = key;
                    slots[i] = used;
                    if ((used + 1) * OUTCOMES.length > counts.length) {
                        counts = Arrays.copyOf(counts, counts.length * 2);
                    }
                    return used++;
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldSlots = slots;
            keys = newKeys(oldKeys.length * 2);
            slots = new int[oldKeys.length * 2];
            int mask = keys.length - 1;
            for (int j = 0; j < oldKeys.length; j++) {
                if (oldKeys[j] != -1L) {
                    int i = home(oldKeys[j], mask);
                    while (keys[i] != -1L) {
                        i = (i + 1) & mask;
                    }
                    keys[i] = oldKeys[j];
                    slots[i] = oldSlots[j];
                }
            }
        }

        private int id(String model) {
            Integer id = ids.get(Objects.requireNonNull(model, "model"));
            if (id == null) {
                id = names.size();
                ids.put(model, id);
                names.add(model);
            }
            return id;
        }

        public Builder addModel(String model) {
            id(model);
            return this;
        }

        public Builder add(Comparison c) {
            return add(c.modelA(), c.modelB(), c.outcome(), 1);
        }

        /** Adds {@code count} comparisons at once, e.g. from a SQL {@code GROUP BY model_a, model_b, outcome}. */
        public Builder add(String modelA, String modelB, Outcome outcome, long count) {
            if (count < 0) {
                throw new IllegalArgumentException("negative count " + count);
            }
            if (modelA.equals(modelB)) {
                throw new IllegalArgumentException("a model cannot be compared with itself: " + modelA);
            }
            long key = ((long) id(modelA) << 32) | id(modelB);
            int slot = slot(key); // before reading the field: slot() may replace the array
            counts[slot * OUTCOMES.length + outcome.ordinal()] += count;
            return this;
        }

        public PairTable build() {
            String[] sorted = names.toArray(String[]::new);
            Arrays.sort(sorted);
            int[] rank = new int[sorted.length];
            for (int s = 0; s < sorted.length; s++) {
                rank[ids.get(sorted[s])] = s;
            }
            Map<Long, long[]> canonical = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == -1L) {
                    continue;
                }
                int a = rank[(int) (keys[i] >>> 32)];
                int b = rank[(int) (keys[i] & 0xffffffffL)];
                boolean swap = a > b;
                long[] target = canonical.computeIfAbsent(swap ? ((long) b << 32) | a : ((long) a << 32) | b,
                        k -> new long[OUTCOMES.length]);
                for (Outcome o : OUTCOMES) {
                    target[(swap ? o.flipped() : o).ordinal()] += counts[slots[i] * OUTCOMES.length + o.ordinal()];
                }
            }
            long[] pairKeys = canonical.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
            List<int[]> rows = new ArrayList<>();
            List<Long> rowCounts = new ArrayList<>();
            for (long key : pairKeys) {
                long[] c = canonical.get(key);
                for (Outcome o : OUTCOMES) {
                    if (c[o.ordinal()] > 0) {
                        rows.add(new int[] {(int) (key >>> 32), (int) (key & 0xffffffffL), o.ordinal()});
                        rowCounts.add(c[o.ordinal()]);
                    }
                }
            }
            int n = rows.size();
            int[] a = new int[n];
            int[] b = new int[n];
            Outcome[] out = new Outcome[n];
            long[] cnt = new long[n];
            for (int r = 0; r < n; r++) {
                a[r] = rows.get(r)[0];
                b[r] = rows.get(r)[1];
                out[r] = OUTCOMES[rows.get(r)[2]];
                cnt[r] = rowCounts.get(r);
            }
            return new PairTable(Arrays.asList(sorted), a, b, out, cnt);
        }
    }
}
