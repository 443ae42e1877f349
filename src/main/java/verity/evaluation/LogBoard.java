package verity.evaluation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import verity.feedback.GameLog;

/** A leaderboard replayed from the game log: Elo over the chosen votes in creation order, tag counts over all feedback. */
final class LogBoard {
    /** Above this many (model, tag) pairs the counts go to a map instead of dense arrays. */
    private static final long DENSE = 1 << 22;

    private final EloLeaderboard elo;
    private TagCounts tags;

    LogBoard() {
        this(new EloLeaderboard(), new TagCounts(0, 0));
    }

    private LogBoard(EloLeaderboard elo, TagCounts tags) {
        this.elo = elo;
        this.tags = tags;
    }

    LogBoard copy() {
        return new LogBoard(elo.copy(), tags.copy());
    }

    /**
     * Applies the feedback from order position {@code from} on ({@code counts} picks the votes that play,
     * {@code weight} scales each one's rating change); exact when this holds the positions before it.
     */
    LogBoard advance(GameLog.View view, int from, Predicate<GameLog.Game> counts, ToDoubleFunction<GameLog.Game> weight) {
        tags = tags.resized(view.models(), view.tags());
        view.forEach(from, g -> {
            if (g.vote() && counts.test(g)) {
                double w = weight.applyAsDouble(g);
                for (int i = 0; i < g.opponents(); i++) {
                    elo.apply(g.model(), g.won(), g.opponent(i), w);
                }
            }
            for (int i = 0; i < g.tags(); i++) {
                tags.add(g.model(), g.tag(i), g.createdAt());
            }
        });
        return this;
    }

    /** The board from the whole log. */
    static LeaderboardService.Board compute(GameLog.View view, Predicate<GameLog.Game> counts,
                                            ToDoubleFunction<GameLog.Game> weight, int topTags) {
        return new LogBoard().advance(view, 0, counts, weight).board(view, topTags);
    }

    LeaderboardService.Board board(GameLog.View view, int topTags) {
        List<LeaderboardService.Entry> entries = new ArrayList<>();
        for (int m : elo.order()) {
            entries.add(new LeaderboardService.Entry(view.model(m), EloLeaderboard.roundHalfEven(elo.rating(m)), elo.won(m),
                    elo.lost(m), elo.won(m) + elo.lost(m), tags.top(view, m, topTags)));
        }
        return new LeaderboardService.Board(entries);
    }

    /** Per (model, tag): how many feedback carry it and the created_at of the first. */
    private static final class TagCounts {
        private final int modelCount;
        private final int tagCount;
        private final int[] count;
        private final long[] first;
        private final Map<Long, long[]> sparse;
        private final Map<Integer, List<Integer>> tagsOf = new HashMap<>();

        TagCounts(int models, int tags) {
            this.modelCount = models;
            this.tagCount = tags;
            boolean dense = (long) models * tags <= DENSE;
            this.count = dense ? new int[models * tags] : null;
            this.first = dense ? new long[models * tags] : null;
            this.sparse = dense ? null : new HashMap<>();
        }

        TagCounts copy() {
            return layout(modelCount, tagCount);
        }

        /** These counts laid out for {@code models} × {@code tags} (this, when those have not grown). */
        TagCounts resized(int models, int tags) {
            return models == modelCount && tags == tagCount ? this : layout(models, tags);
        }

        private TagCounts layout(int models, int tags) {
            TagCounts c = new TagCounts(models, tags);
            tagsOf.forEach((m, list) -> {
                for (int t : list) {
                    long from = (long) m * tagCount + t;
                    long to = (long) m * tags + t;
                    if (c.count != null) {
                        c.count[(int) to] = (int) count(from);
                        c.first[(int) to] = first(from);
                    } else {
                        c.sparse.put(to, new long[] {count(from), first(from)});
                    }
                }
                c.tagsOf.put(m, new ArrayList<>(list));
            });
            return c;
        }

        /** Feedback comes oldest first, so the first time a pair is seen is its first use. */
        void add(int model, int tag, long createdAt) {
            long key = (long) model * tagCount + tag;
            boolean fresh;
            if (count != null) {
                fresh = count[(int) key]++ == 0;
                if (fresh) {
                    first[(int) key] = createdAt;
                }
            } else {
                long[] c = sparse.computeIfAbsent(key, k -> new long[] {0, createdAt});
                fresh = c[0]++ == 0;
            }
            if (fresh) {
                tagsOf.computeIfAbsent(model, m -> new ArrayList<>()).add(tag);
            }
        }

        private long count(long key) {
            return count != null ? count[(int) key] : sparse.get(key)[0];
        }

        private long first(long key) {
            return first != null ? first[(int) key] : sparse.get(key)[1];
        }

        /** The model's {@code n} most frequent tags, then first used, then by name. */
        List<LeaderboardService.TopTag> top(GameLog.View view, int model, int n) {
            long base = (long) model * tagCount;
            Comparator<Integer> order = Comparator.comparingLong((Integer t) -> -count(base + t))
                    .thenComparingLong(t -> first(base + t))
                    .thenComparing(view::tag);
            return tagsOf.getOrDefault(model, List.of()).stream().sorted(order).limit(n)
                    .map(t -> new LeaderboardService.TopTag(view.tag(t), count(base + t))).toList();
        }
    }
}
