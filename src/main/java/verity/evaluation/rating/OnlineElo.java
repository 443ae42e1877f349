package verity.evaluation.rating;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sequential Elo as in FastChat's {@code compute_elo}: E_a = 1 / (1 + base^((R_b − R_a) / scale)),
 * Δ = K·(S_a − E_a), R_a += Δ, R_b −= Δ; S_a = 1 / 0 / 0.5 (tie and both-bad). Unknown models start at the
 * initial rating. Comparisons are applied in the order given: sort chronologically first (e.g. by createdAt,
 * then a stable id) because the result depends on order.
 */
public final class OnlineElo {
    /** FastChat's online Elo. */
    public static final double DEFAULT_K = 4;
    /** Open WebUI's and the classic chess value. */
    public static final double K32 = 32;

    /** One update: A's expected score before it, the change applied to A (B got −delta), ratings after it. */
    public record Step(double expectedA, double delta, double ratingA, double ratingB) {}

    private final double k;
    private final double scale;
    private final double base;
    private final double initial;
    private final Map<String, Double> ratings = new HashMap<>();

    public OnlineElo() {
        this(DEFAULT_K);
    }

    public OnlineElo(double k) {
        this(k, 400, 10, 1000);
    }

    public OnlineElo(double k, double scale, double base, double initial) {
        if (!(k > 0 && scale > 0 && base > 1)) {
            throw new IllegalArgumentException("need k > 0, scale > 0, base > 1");
        }
        this.k = k;
        this.scale = scale;
        this.base = base;
        this.initial = initial;
    }

    /** Ratings after applying {@code chronological} in order with the default scale, base and initial rating. */
    public static Map<String, Double> run(Iterable<Comparison> chronological, double k) {
        OnlineElo elo = new OnlineElo(k);
        elo.applyAll(chronological);
        return elo.ratings();
    }

    public Step apply(Comparison c) {
        return apply(c.modelA(), c.modelB(), c.outcome());
    }

    public Step apply(String a, String b, Outcome outcome) {
        if (a.equals(b)) {
            throw new IllegalArgumentException("a model cannot be compared with itself: " + a);
        }
        double ra = rating(a);
        double rb = rating(b);
        double expected = 1 / (1 + Math.pow(base, (rb - ra) / scale));
        double delta = k * (outcome.scoreA() - expected);
        ratings.put(a, ra + delta);
        ratings.put(b, rb - delta);
        return new Step(expected, delta, ra + delta, rb - delta);
    }

    public void applyAll(Iterable<Comparison> chronological) {
        for (Comparison c : chronological) {
            apply(c);
        }
    }

    /** Current rating; the initial rating for a model not seen yet. */
    public double rating(String model) {
        return ratings.getOrDefault(model, initial);
    }

    /** Snapshot of all ratings, sorted by model id. */
    public Map<String, Double> ratings() {
        return new TreeMap<>(ratings);
    }
}
