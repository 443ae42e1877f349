package verity.evaluation;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Open WebUI's leaderboard Elo (0.7+): K=32 from 1000, base-10 logistic over 400; every "1"/"-1" rating
 * with siblings is one game against each sibling, applied sequentially in creation order; the weight scales
 * the rating change but never the won/lost counts; ratings are shown rounded half to even (Python's round).
 */
public final class EloLeaderboard {
    static final double K = 32;
    static final double INITIAL = 1000;

    /** A model's running state. */
    public static final class Stats {
        double rating = INITIAL;
        int won;
        int lost;

        public double rating() {
            return rating;
        }

        public int won() {
            return won;
        }

        public int lost() {
            return lost;
        }
    }

    private final Map<String, Stats> stats = new LinkedHashMap<>();

    /** An independent copy of the current state (same models in the same order). */
    public EloLeaderboard copy() {
        EloLeaderboard copy = new EloLeaderboard();
        stats.forEach((model, s) -> {
            Stats c = new Stats();
            c.rating = s.rating;
            c.won = s.won;
            c.lost = s.lost;
            copy.stats.put(model, c);
        });
        return copy;
    }

    /**
     * Applies one feedback: {@code won} is true for rating "1", false for "-1"; {@code weight} is 1.0 unless
     * a topic query re-weights it.
     */
    public void apply(String model, boolean won, List<String> opponents, double weight) {
        for (String opponent : opponents) {
            Stats a = stats.computeIfAbsent(model, m -> new Stats());
            Stats b = stats.computeIfAbsent(opponent, m -> new Stats());
            double expected = 1 / (1 + Math.pow(10, (b.rating - a.rating) / 400));
            a.rating += K * ((won ? 1 : 0) - expected) * weight;
            b.rating += K * ((won ? 0 : 1) - (1 - expected)) * weight;
            if (won) {
                a.won++;
                b.lost++;
            } else {
                a.lost++;
                b.won++;
            }
        }
    }

    public Map<String, Stats> stats() {
        return stats;
    }

    /** Python's round(): to the nearest integer, ties to even. */
    public static long roundHalfEven(double value) {
        return new BigDecimal(value).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Model ids by rating, highest first. */
    public List<String> ranking() {
        List<String> ids = new ArrayList<>(stats.keySet());
        ids.sort(Comparator.comparingDouble((String id) -> stats.get(id).rating).reversed());
        return ids;
    }
}
