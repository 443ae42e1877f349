package verity.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import verity.feedback.FeedbackService;
import verity.feedback.TagCount;

/**
 * What a leaderboard is made of, over the feedback created before some time: the Elo state after every vote in
 * creation order, and tag counts per model. Feedback created later is added with {@link #add}.
 */
final class BoardState {
    private final EloLeaderboard elo;
    /** (model, tag) → {count, first created_at}. */
    private final Map<List<String>, long[]> tags;

    private BoardState(EloLeaderboard elo, Map<List<String>, long[]> tags) {
        this.elo = elo;
        this.tags = tags;
    }

    static BoardState empty() {
        return new BoardState(new EloLeaderboard(), new HashMap<>());
    }

    BoardState copy() {
        Map<List<String>, long[]> tagsCopy = new HashMap<>();
        tags.forEach((k, v) -> tagsCopy.put(k, v.clone()));
        return new BoardState(elo.copy(), tagsCopy);
    }

    /**
     * Applies the feedback created in [{@code from}, {@code to}); only exact when everything before {@code from}
     * is already in and nothing at or after it is.
     */
    BoardState add(FeedbackService feedback, String tag, long from, long to) {
        feedback.forEachVote(tag, from, to, v -> elo.apply(v.modelId(), v.won(), v.opponents(), 1.0));
        return addTags(feedback, from, to);
    }

    /** Applies every feedback, each vote weighted by its tags. */
    BoardState addWeighted(FeedbackService feedback, java.util.function.ToDoubleFunction<List<String>> weight) {
        feedback.forEachTaggedVote((v, tags) -> elo.apply(v.modelId(), v.won(), v.opponents(), weight.applyAsDouble(tags)));
        return addTags(feedback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private BoardState addTags(FeedbackService feedback, long from, long to) {
        for (TagCount tc : feedback.tagCounts(from, to)) {
            long[] c = tags.computeIfAbsent(List.of(tc.modelId(), tc.tag()), k -> new long[] {0, Long.MAX_VALUE});
            c[0] += tc.count();
            c[1] = Math.min(c[1], tc.firstSeen());
        }
        return this;
    }

    /** Models by rating with their counts and {@code topTags} most frequent tags (then first used, then by name). */
    LeaderboardService.Board board(int topTags) {
        Map<String, List<Map.Entry<List<String>, long[]>>> byModel = new HashMap<>();
        for (var e : tags.entrySet()) {
            byModel.computeIfAbsent(e.getKey().get(0), m -> new ArrayList<>()).add(e);
        }
        Comparator<Map.Entry<List<String>, long[]>> order = Comparator
                .comparingLong((Map.Entry<List<String>, long[]> e) -> -e.getValue()[0])
                .thenComparingLong(e -> e.getValue()[1])
                .thenComparing(e -> e.getKey().get(1));
        List<LeaderboardService.Entry> entries = new ArrayList<>();
        for (String model : elo.ranking()) {
            EloLeaderboard.Stats s = elo.stats().get(model);
            List<LeaderboardService.TopTag> top = byModel.getOrDefault(model, List.of()).stream().sorted(order).limit(topTags)
                    .map(e -> new LeaderboardService.TopTag(e.getKey().get(1), e.getValue()[0])).toList();
            entries.add(new LeaderboardService.Entry(model, EloLeaderboard.roundHalfEven(s.rating()), s.won(), s.lost(),
                    s.won() + s.lost(), top));
        }
        return new LeaderboardService.Board(entries);
    }
}
