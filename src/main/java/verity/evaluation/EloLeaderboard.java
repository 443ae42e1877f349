package verity.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open WebUI's leaderboard Elo (0.7+): K=32 from 1000, base-10 logistic over 400; every "1"/"-1" rating
 * with siblings is one game against each sibling, applied sequentially in creation order; the weight scales
 * the rating change but never the won/lost counts; ratings are shown rounded half to even (Python's round).
 * Models are numbered (by the caller, or by the String methods in the order first seen).
 */
public final class EloLeaderboard {
    static final double K = 32;
    static final double INITIAL = 1000;

    /** A model's state. */
    public record Stats(double rating, int won, int lost) {}

    private double[] rating = new double[0];
    private int[] won = new int[0];
    private int[] lost = new int[0];
    private boolean[] playing = new boolean[0];
    /** Model numbers in the order first seen (ties in the ranking keep this order). */
    private int[] seen = new int[16];
    private int seenCount;

    private final Map<String, Integer> numbers = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    /** An independent copy of the state (models numbered through the int methods only). */
    public EloLeaderboard copy() {
        EloLeaderboard c = new EloLeaderboard();
        c.rating = rating.clone();
        c.won = won.clone();
        c.lost = lost.clone();
        c.playing = playing.clone();
        c.seen = seen.clone();
        c.seenCount = seenCount;
        return c;
    }

    /** One game of {@code model} (won is true for rating "1", false for "-1") against {@code opponent}. */
    public void apply(int model, boolean modelWon, int opponent, double weight) {
        enter(model);
        enter(opponent);
        double expected = 1 / (1 + Math.pow(10, (rating[opponent] - rating[model]) / 400));
        rating[model] += K * ((modelWon ? 1 : 0) - expected) * weight;
        rating[opponent] += K * ((modelWon ? 0 : 1) - (1 - expected)) * weight;
        if (modelWon) {
            won[model]++;
            lost[opponent]++;
        } else {
            lost[model]++;
            won[opponent]++;
        }
    }

    private void enter(int model) {
        if (model >= playing.length) {
            int n = Math.max(model + 1, playing.length * 2);
            rating = Arrays.copyOf(rating, n);
            won = Arrays.copyOf(won, n);
            lost = Arrays.copyOf(lost, n);
            playing = Arrays.copyOf(playing, n);
        }
        if (!playing[model]) {
            playing[model] = true;
            rating[model] = INITIAL;
            if (seenCount == seen.length) {
                seen = Arrays.copyOf(seen, seenCount * 2);
            }
            seen[seenCount++] = model;
        }
    }

    public double rating(int model) {
        return rating[model];
    }

    public int won(int model) {
        return won[model];
    }

    public int lost(int model) {
        return lost[model];
    }

    /** Numbers of the models that played, by rating, highest first (ties in the order first seen). */
    public int[] order() {
        Integer[] boxed = new Integer[seenCount];
        for (int i = 0; i < seenCount; i++) {
            boxed[i] = seen[i];
        }
        Arrays.sort(boxed, (a, b) -> Double.compare(rating[b], rating[a]));
        return Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    }

    /**
     * Applies one feedback: {@code won} is true for rating "1", false for "-1"; {@code weight} is 1.0 unless
     * a topic query re-weights it.
     */
    public void apply(String model, boolean modelWon, List<String> opponents, double weight) {
        for (String opponent : opponents) {
            apply(number(model), modelWon, number(opponent), weight);
        }
    }

    private int number(String name) {
        return numbers.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    /** Per model named through {@link #apply(String, boolean, List, double)}, in the order first seen. */
    public Map<String, Stats> stats() {
        Map<String, Stats> out = new LinkedHashMap<>();
        for (int i = 0; i < seenCount; i++) {
            int m = seen[i];
            out.put(names.get(m), new Stats(rating[m], won[m], lost[m]));
        }
        return out;
    }

    /** Model names by rating, highest first. */
    public List<String> ranking() {
        return Arrays.stream(order()).mapToObj(names::get).toList();
    }

    /** Python's round(): to the nearest integer, ties to even. */
    public static long roundHalfEven(double value) {
        return new BigDecimal(value).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }
}
