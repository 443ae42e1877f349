package verity.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.feedback.FeedbackService;
import verity.feedback.GameLog;

/** Open WebUI's leaderboard and per-model history, computed from the extracted feedback columns. */
public final class LeaderboardService {
    private static final int TOP_TAGS = 5;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LeaderboardService.class);

    private final FeedbackService feedback;
    private final Clock clock;
    private final ZoneId zone;
    private final TopicSimilarity topics;

    /** {@code topics} null: a query keeps only feedback with that exact tag (no embeddings available). */
    public LeaderboardService(FeedbackService feedback, Clock clock, ZoneId zone, TopicSimilarity topics) {
        this.feedback = feedback;
        this.clock = clock;
        this.zone = zone;
        this.topics = topics;
    }

    public record TopTag(String tag, long count) {}

    public record Entry(String modelId, long rating, int won, int lost, int count, List<TopTag> topTags) {}

    public record Board(List<Entry> entries) {}

    /** Boards per query, computed as of feedback version {@code version}; any feedback change makes them stale. */
    private record Key(String query, long version) {}

    private final com.github.benmanes.caffeine.cache.Cache<Key, Board> boards =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100).build();

    /**
     * Elo over every "1"/"-1" rating with siblings, oldest first, replayed from the in-memory game log. With an
     * embedder, a topic query weights each feedback by the highest similarity of its tags to the query (0 without
     * tags), as Open WebUI does, and when no feedback has tags or the embedder fails every weight is 1. Without one,
     * {@code tag} keeps only feedback with that tag (ignoring case). Top tags count all feedback.
     */
    public Board leaderboard(String tag) {
        long version = feedback.version();
        if (tag == null) {
            return boards.get(new Key("", version), k -> feedback.games().read(view -> carriedOn("", view, g -> true)));
        }
        if (topics == null) {
            String folded = tag.toLowerCase(java.util.Locale.ROOT);
            return boards.get(new Key("#" + folded, version), k -> feedback.games().read(view -> {
                boolean[] match = new boolean[view.tags()];
                for (int t = 0; t < match.length; t++) {
                    match[t] = view.tag(t).toLowerCase(java.util.Locale.ROOT).equals(folded);
                }
                return carriedOn("#" + folded, view, g -> hasTag(g, match));
            }));
        }
        return boards.get(new Key("~" + tag, version), k -> weighted(tag));
    }

    /** A board's state over the log's first positions, and where the log stood then. */
    private record Kept(LogBoard state, GameLog.Mark mark) {}

    /** Per unweighted query: the last state computed, carried on when only later positions changed since. */
    private final com.github.benmanes.caffeine.cache.Cache<String, Kept> kept =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(16).build();

    /**
     * Elo is applied in creation order, so when every change since the kept state touched only positions after
     * it (new feedback, the usual change), the state is carried on over the new positions instead of replaying
     * the whole log. Called under the log's lock.
     */
    private Board carriedOn(String key, GameLog.View view, java.util.function.Predicate<GameLog.Game> counts) {
        Kept k = kept.getIfPresent(key);
        LogBoard state = k != null && view.unchangedSince(k.mark())
                ? k.state().copy().advance(view, k.mark().positions(), counts, g -> 1.0)
                : new LogBoard().advance(view, 0, counts, g -> 1.0);
        kept.put(key, new Kept(state, view.mark()));
        return state.board(view, TOP_TAGS);
    }

    private static boolean hasTag(GameLog.Game g, boolean[] match) {
        for (int i = 0; i < g.tags(); i++) {
            if (g.tag(i) < match.length && match[g.tag(i)]) {
                return true;
            }
        }
        return false;
    }

    /** The embedder is asked outside the log's lock (it may be slow); tags first used after that count 0. */
    private Board weighted(String query) {
        List<String> tags = feedback.games().read(LeaderboardService::liveTags);
        Map<String, Double> similarity = similarity(query, tags);
        return feedback.games().read(view -> {
            if (similarity.isEmpty()) {
                return LogBoard.compute(view, g -> true, g -> 1.0, TOP_TAGS);
            }
            double[] byNumber = new double[view.tags()];
            for (int t = 0; t < byNumber.length; t++) {
                byNumber[t] = similarity.getOrDefault(view.tag(t), 0.0);
            }
            return LogBoard.compute(view, g -> true, g -> weight(g, byNumber), TOP_TAGS);
        });
    }

    /** The distinct tags of current feedback that has a model. */
    private static List<String> liveTags(GameLog.View view) {
        boolean[] used = new boolean[view.tags()];
        view.forEach(g -> {
            for (int i = 0; i < g.tags(); i++) {
                used[g.tag(i)] = true;
            }
        });
        List<String> tags = new ArrayList<>();
        for (int t = 0; t < used.length; t++) {
            if (used[t]) {
                tags.add(view.tag(t));
            }
        }
        return tags;
    }

    private Map<String, Double> similarity(String query, List<String> tags) {
        if (tags.isEmpty()) {
            return Map.of();
        }
        try {
            return topics.similarity(query, tags);
        } catch (RuntimeException e) {
            LOG.warn("topic weighting unavailable, every feedback counts fully: {}", e.getMessage());
            return Map.of();
        }
    }

    private static double weight(GameLog.Game g, double[] similarity) {
        if (g.tags() == 0) {
            return 0.0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < g.tags(); i++) {
            best = Math.max(best, similarity[g.tag(i)]);
        }
        return best;
    }

    public record Day(String date, int won, int lost) {}

    public record History(String modelId, List<Day> history) {}

    /** Daily won/lost counts of one model (ignoring siblings), zero-filled; {@code days} 0 means since its first rating. */
    public History history(String modelId, int days) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), zone);
        LocalDate first;
        if (days > 0) {
            first = today.minusDays(days - 1L);
        } else {
            long firstAt = feedback.firstRatedAt(modelId);
            first = firstAt == 0 ? today : LocalDate.ofInstant(Instant.ofEpochSecond(firstAt), zone);
        }
        Map<LocalDate, int[]> counts = new LinkedHashMap<>();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            counts.put(d, new int[2]);
        }
        long since = first.atStartOfDay(zone).toEpochSecond();
        feedback.forEachOutcome(modelId, since, o -> {
            int[] c = counts.get(LocalDate.ofInstant(Instant.ofEpochSecond(o.createdAt()), zone));
            if (c != null) {
                c[o.won() ? 0 : 1]++;
            }
        });
        List<Day> history = new ArrayList<>();
        counts.forEach((d, c) -> history.add(new Day(d.toString(), c[0], c[1])));
        return new History(modelId, history);
    }
}
