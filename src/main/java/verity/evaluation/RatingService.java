package verity.evaluation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.evaluation.rating.Bootstrap;
import verity.evaluation.rating.Comparison;
import verity.evaluation.rating.OnlineElo;
import verity.evaluation.rating.PairTable;
import verity.evaluation.rating.WinRateMatrix;
import verity.feedback.FeedbackService;

/**
 * The rigorous leaderboard: Bradley–Terry with bootstrap intervals and ranks, online Elo for comparison and the
 * win-rate matrix, over comparisons from all feedback. Results are cached per parameter set and dropped when
 * any feedback changes.
 */
public final class RatingService {
    private final ComparisonSource source;
    private final FeedbackService feedback;
    private final Cache<Params, Map<String, Object>> cache = Caffeine.newBuilder().maximumSize(200).build();

    public RatingService(ComparisonSource source, FeedbackService feedback) {
        this.source = source;
        this.feedback = feedback;
    }

    /** Everything that changes a board; {@code version} is the feedback version it was computed from. */
    public record Params(ComparisonSource.Filter filter, int minVotes, int rounds, long seed, double eloK, long version) {}

    public Map<String, Object> board(ComparisonSource.Filter filter, int minVotes, int rounds, long seed, double eloK) {
        Params p = new Params(filter, minVotes, rounds, seed, eloK, feedback.version());
        return cache.get(p, this::compute);
    }

    private Map<String, Object> compute(Params p) {
        List<Comparison> all = source.load(p.filter());
        Map<String, Long> votes = new HashMap<>();
        all.forEach(c -> {
            votes.merge(c.modelA(), 1L, Long::sum);
            votes.merge(c.modelB(), 1L, Long::sum);
        });
        List<Comparison> used = all.stream()
                .filter(c -> votes.get(c.modelA()) >= p.minVotes() && votes.get(c.modelB()) >= p.minVotes())
                .sorted(Comparator.comparingLong(Comparison::createdAt))
                .toList();
        PairTable table = PairTable.of(used);
        Map<String, long[]> record = record(table);
        List<Map<String, Object>> entries = new ArrayList<>();
        if (table.modelCount() > 0) {
            Bootstrap.Result result = Bootstrap.run(table, p.seed(), p.rounds());
            for (Bootstrap.RatedModel m : result.models()) {
                long[] r = record.get(m.model());
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("model_id", m.model());
                e.put("rating", round2(m.rating()));
                e.put("ci_lower", round2(m.ciLower()));
                e.put("ci_upper", round2(m.ciUpper()));
                e.put("rank", m.rank());
                e.put("wins", r[0]);
                e.put("losses", r[1]);
                e.put("ties", r[2]);
                e.put("both_bad", r[3]);
                e.put("votes", m.comparisons());
                e.put("component", m.component());
                e.put("regularised", m.regularised());
                entries.add(e);
            }
        }
        OnlineElo elo = new OnlineElo(p.eloK());
        elo.applyAll(used);
        List<Map<String, Object>> eloEntries = new ArrayList<>();
        elo.ratings().entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> eloEntries.add(Map.of("model_id", e.getKey(), "rating", round2(e.getValue()))));
        List<Map<String, Object>> matrix = new ArrayList<>();
        WinRateMatrix.of(table).cells().forEach(c -> {
            Map<String, Object> cell = new LinkedHashMap<>();
            cell.put("model_id", c.model());
            cell.put("opponent", c.opponent());
            cell.put("wins", c.wins());
            cell.put("losses", c.losses());
            cell.put("ties", c.ties());
            cell.put("both_bad", c.bothBad());
            cell.put("win_rate", c.winRate());
            matrix.add(cell);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("entries", entries);
        body.put("elo", Map.of("k", p.eloK(), "entries", eloEntries));
        body.put("win_rates", matrix);
        body.put("comparisons", used.size());
        body.put("bootstrap_rounds", p.rounds());
        body.put("seed", p.seed());
        return body;
    }

    /** wins, losses, ties, both-bad per model. */
    private static Map<String, long[]> record(PairTable table) {
        Map<String, long[]> r = new HashMap<>();
        for (PairTable.Row row : table.rows()) {
            long[] a = r.computeIfAbsent(row.modelA(), k -> new long[4]);
            long[] b = r.computeIfAbsent(row.modelB(), k -> new long[4]);
            switch (row.outcome()) {
                case A_WINS -> { a[0] += row.count(); b[1] += row.count(); }
                case B_WINS -> { a[1] += row.count(); b[0] += row.count(); }
                case TIE -> { a[2] += row.count(); b[2] += row.count(); }
                case BOTH_BAD -> { a[3] += row.count(); b[3] += row.count(); }
            }
        }
        return r;
    }

    /** Tags that label comparisons, with how many comparisons carry each (for per-tag boards). */
    public List<Map<String, Object>> tags(ComparisonSource.Filter filter) {
        Map<String, Long> counts = new HashMap<>();
        for (Comparison c : source.load(filter)) {
            c.tags().forEach(t -> counts.merge(t, 1L, Long::sum));
        }
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .map(e -> Map.<String, Object>of("tag", e.getKey(), "comparisons", e.getValue()))
                .toList();
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

}
