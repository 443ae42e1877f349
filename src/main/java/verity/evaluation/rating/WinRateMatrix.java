package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Head-to-head counts for every ordered pair of models, and a's win rate over b among their decisive
 * comparisons: wins / (wins + losses), ties and both-bad excluded (FastChat's {@code battles_no_ties} heatmap);
 * null when they have no decisive comparison.
 */
public final class WinRateMatrix {
    /** Counts from {@code model}'s side against {@code opponent}. */
    public record Cell(String model, String opponent, long wins, long losses, long ties, long bothBad, Double winRate) {
        public long comparisons() {
            return wins + losses + ties + bothBad;
        }
    }

    private final PairTable table;
    /** Key (a << 32 | b) over table indices, both orders; value: counts per outcome ordinal from a's side. */
    private final Map<Long, long[]> counts = new TreeMap<>();

    private WinRateMatrix(PairTable t) {
        this.table = t;
        for (int r = 0; r < t.rowCount(); r++) {
            Outcome o = t.rowOutcome[r];
            slot(t.rowA[r], t.rowB[r])[o.ordinal()] += t.rowCount[r];
            slot(t.rowB[r], t.rowA[r])[o.flipped().ordinal()] += t.rowCount[r];
        }
    }

    public static WinRateMatrix of(PairTable t) {
        return new WinRateMatrix(t);
    }

    private long[] slot(int a, int b) {
        return counts.computeIfAbsent(key(a, b), k -> new long[Outcome.values().length]);
    }

    private static long key(int a, int b) {
        return ((long) a << 32) | b;
    }

    /** Sorted model ids (rows and columns of the matrix). */
    public List<String> models() {
        return table.models();
    }

    /** Counts for any two known models (all zero if they never met). */
    public Cell cell(String model, String opponent) {
        return cell(index(model), index(opponent));
    }

    public Double winRate(String model, String opponent) {
        return cell(model, opponent).winRate();
    }

    /** Every ordered pair with at least one comparison, by model then opponent. */
    public List<Cell> cells() {
        List<Cell> out = new ArrayList<>(counts.size());
        for (long key : counts.keySet()) {
            out.add(cell((int) (key >>> 32), (int) key));
        }
        return out;
    }

    private Cell cell(int a, int b) {
        long[] c = counts.getOrDefault(key(a, b), new long[Outcome.values().length]);
        long wins = c[Outcome.A_WINS.ordinal()];
        long losses = c[Outcome.B_WINS.ordinal()];
        Double rate = wins + losses == 0 ? null : (double) wins / (wins + losses);
        return new Cell(table.models().get(a), table.models().get(b), wins, losses, c[Outcome.TIE.ordinal()],
                c[Outcome.BOTH_BAD.ordinal()], rate);
    }

    private int index(String model) {
        int i = table.indexOf(model);
        if (i < 0) {
            throw new IllegalArgumentException("unknown model " + model);
        }
        return i;
    }
}
