package verity.feedback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import verity.db.Database;

/**
 * What leaderboards replay — every feedback's model, vote, opponents, tags and created_at, in creation order —
 * kept in memory ({@link Games}), so a board after an edit or a delete is a replay over arrays rather than a read
 * of every vote. Loaded once with one SELECT (one snapshot); every change {@link FeedbackService} commits is then
 * applied after its commit, and changes committed while the log loads are queued and applied on top of it. Each
 * change is safe to apply twice or out of order with another change of the same feedback (a version check,
 * deletions win), which is what makes both the queue and concurrent commits exact.
 */
public final class GameLog {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GameLog.class);

    private final Database db;
    /** Null until loaded. */
    private Games games;
    /** Non-null while loading: changes to apply once loaded. */
    private List<Consumer<Games>> pending;

    GameLog(Database db) {
        this.db = db;
    }

    /** Applies a committed change now, or after the load in progress; dropped when nothing is loaded yet. */
    synchronized void apply(Consumer<Games> change) {
        if (pending != null) {
            pending.add(change);
        } else if (games != null) {
            change.accept(games);
            if (games.wasteful()) {
                games = games.compact();
            }
        }
    }

    /** One feedback as a game: the model it rates, its vote and opponents (when it is a "1"/"-1" vote) and tags. */
    public static final class Game {
        private int[] pool;
        private int at;
        private int model;
        private byte flags;
        private long createdAt;

        public int model() {
            return model;
        }

        /** Rated "1" or "-1" and has opponents. */
        public boolean vote() {
            return (flags & Games.VOTE) != 0;
        }

        public boolean won() {
            return (flags & Games.WON) != 0;
        }

        public long createdAt() {
            return createdAt;
        }

        public int opponents() {
            return pool[at];
        }

        public int opponent(int i) {
            return pool[at + 1 + i];
        }

        public int tags() {
            return pool[at + 1 + pool[at]];
        }

        public int tag(int i) {
            return pool[at + 2 + pool[at] + i];
        }
    }

    /** The log as of now; valid only inside {@link #read}. Models and tags are numbered (0 to count - 1). */
    public static final class View {
        private final Games games;

        private View(Games games) {
            this.games = games;
        }

        public int models() {
            return games.models.size();
        }

        public String model(int number) {
            return games.models.name(number);
        }

        public int tags() {
            return games.tags.size();
        }

        public String tag(int number) {
            return games.tags.name(number);
        }

        /** Every current feedback that has a model_id, oldest first (created_at, then id); {@code game} is reused. */
        public void forEach(Consumer<Game> visitor) {
            forEach(0, visitor);
        }

        /** Like {@link #forEach(Consumer)}, from position {@code from} of the order (live or dead) on. */
        public void forEach(int from, Consumer<Game> visitor) {
            Game g = new Game();
            g.pool = games.pool();
            for (int i = from, n = games.ordered(); i < n; i++) {
                int s = games.slotAt(i);
                int c = games.content(s);
                if (c >= 0) {
                    g.at = c;
                    g.model = games.model(s);
                    g.flags = games.flags(s);
                    g.createdAt = games.createdAt(s);
                    visitor.accept(g);
                }
            }
        }

        /**
         * Where the log stands: a result over its first {@link Mark#positions} positions can later be carried on
         * from there while {@link #unchangedSince} holds.
         */
        public Mark mark() {
            return new Mark(games, games.changes(), games.ordered());
        }

        /** True when the first {@code mark.positions()} positions are as they were at {@code mark}. */
        public boolean unchangedSince(Mark mark) {
            return mark.games() == games && games.untouchedBelow(mark.changes(), mark.positions());
        }

        /** Bytes held by the log's arrays. */
        public long bytes() {
            return games.bytes();
        }
    }

    /** A point in the log's history (see {@link View#mark}). */
    public record Mark(Object games, long changes, int positions) {}

    /** Runs {@code read} over the log (loading it first if needed); changes wait until it returns. */
    public <T> T read(Function<View, T> read) {
        load();
        synchronized (this) {
            return read.apply(new View(games));
        }
    }

    /** Loads the log unless it is loaded; waits for a load in progress. */
    public void load() {
        synchronized (this) {
            while (pending != null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while the leaderboard log loads", e);
                }
            }
            if (games != null) {
                return;
            }
            pending = new ArrayList<>();
        }
        Games loaded = null;
        try {
            long start = System.nanoTime();
            loaded = fetch();
            LOG.info("leaderboard log: {} feedback loaded in {} ms, {} MB", loaded.live(),
                    (System.nanoTime() - start) / 1_000_000, loaded.bytes() >> 20);
        } finally {
            synchronized (this) {
                if (loaded != null) {
                    games = loaded;
                    pending.forEach(c -> c.accept(games));
                }
                pending = null;
                notifyAll();
            }
        }
    }

    /** Starts loading on a background thread (errors are logged; the next {@link #read} tries again). */
    public void loadInBackground() {
        Thread.ofPlatform().name("verity-game-log").daemon().start(() -> {
            try {
                load();
            } catch (RuntimeException e) {
                LOG.warn("leaderboard log not loaded: {}", e.getMessage());
            }
        });
    }

    /**
     * Feedback, sibling and tag rows, read in one snapshot. Siblings are placed by their position (0 to n - 1 per
     * feedback, as written).
     */
    private Games fetch() {
        Games g = new Games();
        IntList sibSlot = new IntList();
        IntList sibPos = new IntList();
        IntList sibModel = new IntList();
        IntList tagSlot = new IntList();
        IntList tagNumber = new IntList();
        db.inSnapshot(() -> {
            db.forEach("SELECT id, user_id, version, created_at, model_id, rating FROM feedback", rs -> g.load(
                    rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6)));
            db.forEach("SELECT feedback_id, position, model_id FROM feedback_siblings", rs -> {
                int slot = g.find(rs.getString(1));
                if (slot >= 0) {
                    sibSlot.add(slot);
                    sibPos.add(rs.getInt(2));
                    sibModel.add(g.models.number(rs.getString(3)));
                }
            });
            db.forEach("SELECT feedback_id, tag FROM feedback_tags", rs -> {
                int slot = g.find(rs.getString(1));
                if (slot >= 0) {
                    tagSlot.add(slot);
                    tagNumber.add(g.tags.number(rs.getString(2)));
                }
            });
            return null;
        });
        int slots = g.live();
        int[] sibStart = starts(sibSlot, slots);
        int[] opponents = new int[sibSlot.size];
        for (int i = 0; i < sibSlot.size; i++) {
            int s = sibSlot.values[i];
            if (sibPos.values[i] < sibStart[s + 1] - sibStart[s]) {
                opponents[sibStart[s] + sibPos.values[i]] = sibModel.values[i];
            }
        }
        int[] tagStart = starts(tagSlot, slots);
        int[] tags = new int[tagSlot.size];
        int[] filled = Arrays.copyOf(tagStart, tagStart.length);
        for (int i = 0; i < tagSlot.size; i++) {
            tags[filled[tagSlot.values[i]]++] = tagNumber.values[i];
        }
        for (int s = 0; s < slots; s++) {
            g.setLoaded(s, opponents, sibStart[s], sibStart[s + 1] - sibStart[s], tags, tagStart[s], tagStart[s + 1] - tagStart[s]);
        }
        g.sortAll();
        return g;
    }

    /** Prefix sums of how many entries each slot has: entries of slot s go to [start[s], start[s + 1]). */
    private static int[] starts(IntList slotOf, int slots) {
        int[] start = new int[slots + 1];
        for (int i = 0; i < slotOf.size; i++) {
            start[slotOf.values[i] + 1]++;
        }
        for (int s = 0; s < slots; s++) {
            start[s + 1] += start[s];
        }
        return start;
    }

    private static final class IntList {
        int[] values = new int[1024];
        int size;

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }
}
