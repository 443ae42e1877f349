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

    private final FeedbackService feedback;
    private final Clock clock;
    private final ZoneId zone;

    public LeaderboardService(FeedbackService feedback, Clock clock, ZoneId zone) {
        this.feedback = feedback;
        this.clock = clock;
        this.zone = zone;
    }

    public record TopTag(String tag, long count) {}

    public record Entry(String modelId, long rating, int won, int lost, int count, List<TopTag> topTags) {}

    public record Board(List<Entry> entries) {}

    /** Elo over every "1"/"-1" rating with siblings, oldest first; {@code tag} keeps only feedback with that tag. */
    /** Boards per tag query, computed from feedback version {@code version}; any feedback change makes them stale. */
    private record Key(String tag, long version) {}

    private final com.github.benmanes.caffeine.cache.Cache<Key, Board> boards =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(100).build();

    public Board leaderboard(String tag) {
        return boards.get(new Key(tag == null ? null : tag.toLowerCase(java.util.Locale.ROOT), feedback.version()), k -> compute(tag));
    }

    private Board compute(String tag) {
        EloLeaderboard elo = new EloLeaderboard();
        feedback.forEachVote(tag, v -> elo.apply(v.modelId(), v.won(), v.opponents(), 1.0));
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
