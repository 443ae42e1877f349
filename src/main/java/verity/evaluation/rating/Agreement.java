package verity.evaluation.rating;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Inter-annotator agreement on categorical labels. An annotator labelling the same item twice with the same
 * label counts once; with different labels it is rejected ({@link IllegalArgumentException}), since which one
 * holds is the caller's decision.
 *
 * <p>Degenerate case: when chance agreement is 1 (every rating in scope carries the same single label) κ is
 * 0/0; it is returned as {@code null} while the observed agreement (then 1.0) is still reported.
 */
public final class Agreement {
    /** Cohen's κ of two annotators over the items both labelled; the annotators are in id order. */
    public record PairKappa(String annotatorA, String annotatorB, int sharedItems, double observedAgreement,
            double expectedAgreement, Double kappa) {}

    /**
     * Fleiss' κ over the items with at least two ratings. Items may have different numbers of raters: P_i =
     * Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1)), P̄ = mean of P_i over items, p_j = share of label j among all their
     * ratings, P̄_e = Σ p_j², κ = (P̄ − P̄_e) / (1 − P̄_e); with equal counts this is Fleiss (1971) exactly.
     * The three figures are null when no item has two ratings; κ alone is null in the degenerate case.
     */
    public record FleissKappa(int items, long ratings, int categories, Double meanAgreement,
            Double expectedAgreement, Double kappa) {}

    /** An item with ≥ 2 ratings; {@code disagreement} = 1 − P_i, the chance two distinct raters disagree. */
    public record DisputedItem(String itemId, int ratings, double disagreement, SortedMap<String, Integer> labels) {}

    private Agreement() {}

    /** Cohen's κ for every pair of annotators that share at least one item, by annotator ids. */
    public static List<PairKappa> cohenPairs(Collection<Annotation> annotations) {
        Map<String, TreeMap<String, String>> items = byItem(annotations);
        // (annotator a, annotator b) → (label of a, label of b) → count
        TreeMap<String, TreeMap<String, TreeMap<List<String>, Long>>> tables = new TreeMap<>();
        for (TreeMap<String, String> labels : items.values()) {
            List<Map.Entry<String, String>> raters = new ArrayList<>(labels.entrySet());
            for (int x = 0; x < raters.size(); x++) {
                for (int y = x + 1; y < raters.size(); y++) {
                    tables.computeIfAbsent(raters.get(x).getKey(), k -> new TreeMap<>())
                            .computeIfAbsent(raters.get(y).getKey(), k -> new TreeMap<>(Agreement::compareLists))
                            .merge(List.of(raters.get(x).getValue(), raters.get(y).getValue()), 1L, Long::sum);
                }
            }
        }
        List<PairKappa> out = new ArrayList<>();
        tables.forEach((a, row) -> row.forEach((b, table) -> out.add(cohen(a, b, table))));
        return out;
    }

    /** Cohen's κ of a square contingency table (rows: rater 1's label, columns: rater 2's); null if undefined. */
    public static Double cohen(long[][] table) {
        TreeMap<List<String>, Long> cells = new TreeMap<>(Agreement::compareLists);
        for (int i = 0; i < table.length; i++) {
            if (table[i].length != table.length) {
                throw new IllegalArgumentException("table must be square");
            }
            for (int j = 0; j < table.length; j++) {
                if (table[i][j] > 0) {
                    cells.put(List.of(String.valueOf(i), String.valueOf(j)), table[i][j]);
                }
            }
        }
        if (cells.isEmpty()) {
            throw new IllegalArgumentException("empty table");
        }
        return cohen("1", "2", cells).kappa();
    }

    private static PairKappa cohen(String a, String b, TreeMap<List<String>, Long> table) {
        long n = 0;
        long agree = 0;
        TreeMap<String, Long> marginA = new TreeMap<>();
        TreeMap<String, Long> marginB = new TreeMap<>();
        for (Map.Entry<List<String>, Long> e : table.entrySet()) {
            String la = e.getKey().get(0);
            String lb = e.getKey().get(1);
            n += e.getValue();
            if (la.equals(lb)) {
                agree += e.getValue();
            }
            marginA.merge(la, e.getValue(), Long::sum);
            marginB.merge(lb, e.getValue(), Long::sum);
        }
        long chance = 0; // Σ_c n_a(c)·n_b(c), kept integral so the degenerate case is detected exactly
        for (Map.Entry<String, Long> e : marginA.entrySet()) {
            chance += e.getValue() * marginB.getOrDefault(e.getKey(), 0L);
        }
        double nn = (double) n * n;
        Double kappa = chance == n * n ? null : ((double) n * agree - chance) / (nn - chance);
        return new PairKappa(a, b, (int) n, (double) agree / n, chance / nn, kappa);
    }

    public static FleissKappa fleiss(Collection<Annotation> annotations) {
        int items = 0;
        long ratings = 0;
        double sumP = 0;
        TreeMap<String, Long> perLabel = new TreeMap<>();
        for (TreeMap<String, String> labels : byItem(annotations).values()) {
            if (labels.size() < 2) {
                continue;
            }
            items++;
            ratings += labels.size();
            sumP += agreement(counts(labels), labels.size());
            labels.values().forEach(l -> perLabel.merge(l, 1L, Long::sum));
        }
        if (items == 0) {
            return new FleissKappa(0, 0, 0, null, null, null);
        }
        double mean = sumP / items;
        long squares = 0;
        for (long c : perLabel.values()) {
            squares += c * c;
        }
        double expected = squares / ((double) ratings * ratings);
        Double kappa = squares == ratings * ratings ? null : (mean - expected) / (1 - expected);
        return new FleissKappa(items, ratings, perLabel.size(), mean, expected, kappa);
    }

    /** Items with ≥ 2 ratings, most disputed first (then more ratings first, then item id); at most {@code limit}. */
    public static List<DisputedItem> mostDisputed(Collection<Annotation> annotations, int limit) {
        List<DisputedItem> out = new ArrayList<>();
        byItem(annotations).forEach((item, labels) -> {
            if (labels.size() >= 2) {
                TreeMap<String, Integer> counts = counts(labels);
                out.add(new DisputedItem(item, labels.size(), 1 - agreement(counts, labels.size()),
                        Collections.unmodifiableSortedMap(counts)));
            }
        });
        out.sort(Comparator.comparingDouble(DisputedItem::disagreement).reversed()
                .thenComparing(Comparator.comparingInt(DisputedItem::ratings).reversed())
                .thenComparing(DisputedItem::itemId));
        return List.copyOf(out.subList(0, Math.min(Math.max(limit, 0), out.size())));
    }

    /** P_i: share of agreeing ordered pairs of distinct raters. */
    private static double agreement(Map<String, Integer> counts, int n) {
        long same = 0;
        for (int c : counts.values()) {
            same += (long) c * (c - 1);
        }
        return same / ((double) n * (n - 1));
    }

    private static TreeMap<String, Integer> counts(Map<String, String> labels) {
        TreeMap<String, Integer> counts = new TreeMap<>();
        labels.values().forEach(l -> counts.merge(l, 1, Integer::sum));
        return counts;
    }

    /** item → annotator → label, all sorted. */
    private static TreeMap<String, TreeMap<String, String>> byItem(Collection<Annotation> annotations) {
        TreeMap<String, TreeMap<String, String>> items = new TreeMap<>();
        for (Annotation a : annotations) {
            String previous = items.computeIfAbsent(a.itemId(), k -> new TreeMap<>()).putIfAbsent(a.annotatorId(),
                    a.label());
            if (previous != null && !previous.equals(a.label())) {
                throw new IllegalArgumentException("annotator " + a.annotatorId() + " gave item " + a.itemId()
                        + " two labels: " + previous + ", " + a.label());
            }
        }
        return items;
    }

    private static int compareLists(List<String> x, List<String> y) {
        int c = x.get(0).compareTo(y.get(0));
        return c != 0 ? c : x.get(1).compareTo(y.get(1));
    }
}
