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

/** Open WebUI's leaderboard and per-model history, computed from the extracted feedback columns. */
public final class LeaderboardService {
    private static final int TOP_TAGS = 5;
    private static final long SETTLE_SECONDS = 2;

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

    /** Boards per tag query, computed from feedback version {@code version}; any feedback change makes them stale. */
    private record Key(String tag, long version) {}

    private final com.github.benmanes.caffeine.cache.Cache<Key, Board> boards =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100).build();

    /** A board's state over the feedback created before {@code before}, as of feedback version {@code version}. */
    private record Settled(BoardState state, long before, long version) {}

    /** Per tag query ("" for none, else "#" and the tag in lower case). */
    private final java.util.concurrent.ConcurrentHashMap<String, Settled> settled = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Elo over every "1"/"-1" rating with siblings, oldest first. With an embedder, a topic query weights each
     * feedback by the highest similarity of its tags to the query (0 without tags), as Open WebUI does, and when no
     * feedback has tags or the embedder fails every weight is 1; such boards are computed from scratch for each
     * feedback version. Without one, {@code tag} keeps only feedback with that tag. Top tags count all feedback.
     */
    public Board leaderboard(String tag) {
        String folded = tag == null ? null : tag.toLowerCase(java.util.Locale.ROOT);
        long version = feedback.version();
        if (tag != null && topics != null) {
            return boards.get(new Key("~" + tag, version), k -> weighted(tag));
        }
        return boards.get(new Key(folded, version), k -> compute(tag, folded == null ? "" : "#" + folded, version));
    }

    /**
     * Elo is applied in creation order, so feedback created after a computed state can be added on top of it.
     * The state kept per query covers feedback created more than {@link #SETTLE_SECONDS} ago; the newer feedback
     * is re-read for every board. A change that rewrote feedback, or a create older than the state's end (a
     * create that took longer than SETTLE_SECONDS to commit, a clock step back), means a computation from scratch.
     */
    private Board compute(String tag, String key, long version) {
        long settleBefore = clock.instant().getEpochSecond() - SETTLE_SECONDS;
        Settled s = settled.get(key);
        if (s == null || !feedback.onlyCreatedSince(s.version(), s.before())) {
            s = new Settled(BoardState.empty().add(feedback, tag, Long.MIN_VALUE, settleBefore), settleBefore, version);
        } else if (settleBefore > s.before()) {
            s = new Settled(s.state().copy().add(feedback, tag, s.before(), settleBefore), settleBefore, version);
        }
        Settled next = s;
        settled.merge(key, next, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
        return next.state().copy().add(feedback, tag, next.before(), Long.MAX_VALUE).board(TOP_TAGS);
    }

    private Board weighted(String query) {
        Map<String, Double> similarity = similarity(query);
        return BoardState.empty().addWeighted(feedback, tags -> weight(similarity, tags)).board(TOP_TAGS);
    }

    private Map<String, Double> similarity(String query) {
        List<String> tags = feedback.distinctTags();
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

    private static double weight(Map<String, Double> similarity, List<String> tags) {
        if (similarity.isEmpty()) {
            return 1.0;
        }
        double best = tags.isEmpty() ? 0.0 : Double.NEGATIVE_INFINITY;
        for (String tag : tags) {
            best = Math.max(best, similarity.getOrDefault(tag, 0.0));
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
