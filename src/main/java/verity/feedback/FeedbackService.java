package verity.feedback;

import java.time.Clock;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;
import verity.db.Database;
import verity.db.TimeOrderedIds;
import verity.http.ApiException;
import verity.http.Json;
import verity.users.User;

/**
 * Feedback rules: anyone verified may rate; only the author or an admin may read, change or delete an entry
 * (others get 404); an update replaces each given top-level field, bumps {@code version} and keeps the
 * replaced version in the history.
 */
public final class FeedbackService {
    /** Keys Open WebUI's RatingData always stores, as explicit nulls when absent. */
    private static final List<String> RATING_KEYS = List.of("rating", "model_id", "sibling_model_ids", "reason", "comment");

    private final FeedbackStore store;
    private final Clock clock;
    private final GameLog games;
    private final java.util.concurrent.atomic.AtomicLong version = new java.util.concurrent.atomic.AtomicLong();
    /**
     * COUNT(*) over a million rows costs more than the page itself; paging through one filtered list repeats it,
     * so totals are kept until any feedback changes (the version is part of the key).
     */
    private final com.github.benmanes.caffeine.cache.Cache<TotalKey, Long> totals =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(1_000).build();

    private record TotalKey(String modelId, String userId, String type, String rating, Long from, Long to, long version) {}

    public FeedbackService(Database db, Clock clock) {
        this.store = new FeedbackStore(db);
        this.clock = clock;
        this.games = new GameLog(db);
    }

    /** The feedback leaderboards replay, kept in memory and in step with every change made here. */
    public GameLog games() {
        return games;
    }

    FeedbackStore store() {
        return store;
    }

    /**
     * Increases after every committed change to any feedback (and to its authors); results derived from the
     * feedback and cached under an older value are stale.
     */
    public long version() {
        return version.get();
    }

    /** Marks derived results stale after changes made outside this service (e.g. an author renamed). */
    public void touch() {
        version.incrementAndGet();
    }

    /** After the author's account was deleted (its feedback with it, by cascade). */
    public void userDeleted(String userId) {
        committed(g -> g.removeUser(userId)).run();
    }

    /** What to run once a change is committed: the game log follows it, then the version moves on. */
    private Runnable committed(java.util.function.Consumer<Games> change) {
        return () -> {
            games.apply(change);
            version.incrementAndGet();
        };
    }

    /** Streams feedback matching the list filters, oldest first, with snapshots. */
    public void forEachRow(FeedbackQuery q, java.util.function.Consumer<FeedbackRow> consumer) {
        store.forEachRow(q, consumer);
    }

    /** Streams feedback of the given types, oldest first (see {@link FeedbackRow}). */
    public void forEachRow(List<String> types, Long from, Long to, String userId, boolean withSnapshot,
                           java.util.function.Consumer<FeedbackRow> consumer) {
        store.forEachRow(types, from, to, userId, withSnapshot, consumer);
    }

    public Feedback create(User author, FeedbackForm form) {
        return create(author, form, null);
    }

    /** Feedback on a logged request (Helicone and Cohere dialects): linked to it by {@code requestId}. */
    public Feedback create(User author, FeedbackForm form, String requestId) {
        long now = clock.instant().getEpochSecond();
        ObjectNode data = normalized(form.data());
        Feedback f = new Feedback(TimeOrderedIds.next(), author.id(), 0, form.type(), Json.write(data),
                form.meta() == null ? null : Json.write(form.meta()),
                form.snapshot() == null ? null : Json.write(form.snapshot()), now, now);
        Extracted e = Extracted.from(data);
        store.insert(f, e, requestId, committed(g -> g.put(f.id(), f.userId(), f.version(), f.createdAt(), e)));
        return f;
    }

    private static ObjectNode normalized(ObjectNode data) {
        ObjectNode copy = data.deepCopy();
        for (String key : RATING_KEYS) {
            if (!copy.has(key)) {
                copy.putNull(key);
            }
        }
        return copy;
    }

    /** The entry, if the caller wrote it or is an admin; 404 otherwise. */
    public Feedback get(User caller, String id) {
        return store.find(id).filter(f -> f.userId().equals(caller.id()) || caller.isAdmin())
                .orElseThrow(() -> ApiException.notFound("Feedback not found"));
    }

    /** Replaces each field the form gives (null fields are kept); the old version goes to the history. */
    public Feedback update(User caller, String id, FeedbackForm form) {
        // Read and write in one transaction with the row locked: concurrent updates would otherwise both read
        // version N and collide on the history's primary key (a 500), or silently lose one update.
        return store.inTransaction(() -> {
            Feedback previous = store.findForUpdate(id).filter(f -> f.userId().equals(caller.id()) || caller.isAdmin())
                    .orElseThrow(() -> ApiException.notFound("Feedback not found"));
            ObjectNode data = form.data() != null ? normalized(form.data()) : (ObjectNode) Json.read(previous.data());
            Feedback next = new Feedback(id, previous.userId(), previous.version() + 1,
                    form.type() != null ? form.type() : previous.type(), Json.write(data),
                    form.meta() != null ? Json.write(form.meta()) : previous.meta(),
                    form.snapshot() != null ? Json.write(form.snapshot()) : previous.snapshot(),
                    previous.createdAt(), Math.max(clock.instant().getEpochSecond(), previous.updatedAt()));
            Extracted e = Extracted.from(data);
            store.update(previous, next, e);
            store.afterCommit(committed(g -> g.put(id, next.userId(), next.version(), next.createdAt(), e)));
            return next;
        });
    }

    /**
     * One current feedback of {@code type} per voter and request: the first call creates it, later calls update
     * it (the replaced version stays in the history).
     */
    public Feedback upsertForRequest(User voter, String requestId, FeedbackForm form) {
        return store.inTransaction(() -> {
            store.lockVote(requestId, voter.id(), form.type());
            return store.findByRequest(requestId, voter.id(), form.type())
                    .map(id -> update(voter, id, form))
                    .orElseGet(() -> create(voter, form, requestId));
        });
    }

    public void delete(User caller, String id) {
        get(caller, id);
        if (store.delete(id)) {
            store.afterCommit(committed(g -> g.remove(id)));
        }
    }

    /** Earlier versions, newest first. */
    public List<Feedback> history(User caller, String id) {
        get(caller, id);
        return store.history(id);
    }

    public boolean deleteMine(User caller) {
        return store.deleteByUser(caller.id(), ids -> committed(g -> ids.forEach(g::remove)).run()) > 0;
    }

    public boolean deleteAll() {
        return store.deleteAll(ids -> committed(g -> ids.forEach(g::remove)).run()) > 0;
    }

    /** The seed's page shape: items, total, page and pages (Open WebUI clients read items and total). */
    public record Page(List<FeedbackItem> items, long total, int page, long pages) {}

    public Page list(FeedbackQuery q) {
        long total = totals.get(new TotalKey(q.modelId(), q.userId(), q.type(), q.rating(), q.from(), q.to(), version()),
                k -> store.count(q));
        List<FeedbackItem> items = store.page(q, FeedbackQuery.PAGE_SIZE, (q.page() - 1) * FeedbackQuery.PAGE_SIZE);
        return new Page(items, total, q.page(), (total + FeedbackQuery.PAGE_SIZE - 1) / FeedbackQuery.PAGE_SIZE);
    }

    public List<FeedbackItem> mine(User caller, int limit, int offset) {
        return store.byUser(caller.id(), limit, offset);
    }

    public long countMine(User caller) {
        return store.countByUser(caller.id());
    }

    public List<String> modelIds() {
        return store.modelIds();
    }

    public void forEachOutcome(String modelId, long since, java.util.function.Consumer<Outcome> consumer) {
        store.forEachOutcome(modelId, since, consumer);
    }

    public long firstRatedAt(String modelId) {
        return store.firstCreatedAt(modelId);
    }
}
