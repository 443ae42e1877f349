package verity.evaluation;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import verity.feedback.FeedbackService;
import verity.feedback.TagCount;

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

    /** Boards per tag query, computed from feedback version {@code version}; any feedback change makes them stale. */
    private record Key(String tag, long version) {}

    private final com.github.benmanes.caffeine.cache.Cache<Key, Board> boards =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100).build();

    public Board leaderboard(String tag) {
        return boards.get(new Key(tag == null ? null : tag.toLowerCase(java.util.Locale.ROOT), feedback.version()), k -> compute(tag));
    }

    /**
     * Elo over every "1"/"-1" rating with siblings, oldest first. A topic query weights each feedback by the
     * highest similarity of its tags to the query (0 without tags), as Open WebUI does; when no feedback has
     * tags or the embedder fails, every weight is 1.
     */
    private Board compute(String query) {
        EloLeaderboard elo = new EloLeaderboard();
        if (query == null || topics == null) {
            feedback.forEachVote(query, v -> elo.apply(v.modelId(), v.won(), v.opponents(), 1.0));
        } else {
            Map<String, Double> similarity = similarity(query);
            feedback.forEachTaggedVote((v, tags) -> elo.apply(v.modelId(), v.won(), v.opponents(), weight(similarity, tags)));
        }
        Map<String, List<TopTag>> topTags = new HashMap<>();
        for (TagCount tc : feedback.tagCounts()) {
            List<TopTag> tags = topTags.computeIfAbsent(tc.modelId(), m -> new ArrayList<>());
            if (tags.size() < TOP_TAGS) {
                tags.add(new TopTag(tc.tag(), tc.count()));
            }
        }
        List<Entry> entries = new ArrayList<>();
        for (String model : elo.ranking()) {
            EloLeaderboard.Stats s = elo.stats().get(model);
            entries.add(new Entry(model, EloLeaderboard.roundHalfEven(s.rating()), s.won(), s.lost(), s.won() + s.lost(),
                    topTags.getOrDefault(model, List.of())));
        }
        return new Board(entries);
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
