package verity.feedback;

import java.time.Clock;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;
import verity.db.Database;
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
    private final ChangeLog changes = new ChangeLog();
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
    }

    FeedbackStore store() {
        return store;
    }

    /** Increases with every change to any feedback; derived results cached under an older value are stale. */
    public long version() {
        return changes.version();
    }

    /**
     * True when every change after {@code version} added a feedback created at {@code notBefore} or later, so
     * results over older feedback are still exact.
     */
    public boolean onlyCreatedSince(long version, long notBefore) {
        return changes.onlyCreatedSince(version, notBefore);
    }

    /** Marks derived results stale after changes made outside this service (e.g. an account's feedback deleted with it). */
    public void touch() {
        changes.rewritten();
    }

    private <T> T changed(T result) {
        changes.rewritten();
        return result;
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
        Feedback f = new Feedback(UUID.randomUUID().toString(), author.id(), 0, form.type(), Json.write(data),
                form.meta() == null ? null : Json.write(form.meta()),
                form.snapshot() == null ? null : Json.write(form.snapshot()), now, now);
        store.insert(f, Extracted.from(data), requestId);
        changes.created(f.createdAt());
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
            store.update(previous, next, Extracted.from(data));
            return changed(next);
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
        changed(store.delete(id));
    }

    /** Earlier versions, newest first. */
    public List<Feedback> history(User caller, String id) {
        get(caller, id);
        return store.history(id);
    }

    public boolean deleteMine(User caller) {
        return changed(store.deleteByUser(caller.id())) > 0;
    }

    public boolean deleteAll() {
        return changed(store.deleteAll()) > 0;
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

    /**
     * Rated comparisons created in [{@code from}, {@code to}) (epoch seconds), oldest first, optionally only those
     * tagged {@code tag} (case-insensitive).
     */
    public void forEachVote(String tag, long from, long to, java.util.function.Consumer<Vote> consumer) {
        store.forEachVote(tag, from, to, consumer);
    }

    public void forEachTaggedVote(java.util.function.BiConsumer<Vote, List<String>> consumer) {
        store.forEachTaggedVote(consumer);
    }

    public List<String> distinctTags() {
        return store.distinctTags();
    }

    /** Tag counts per model over feedback created in [{@code from}, {@code to}), in no particular order. */
    public List<TagCount> tagCounts(long from, long to) {
        return store.tagCounts(from, to);
    }

    public void forEachOutcome(String modelId, long since, java.util.function.Consumer<Outcome> consumer) {
        store.forEachOutcome(modelId, since, consumer);
    }

    public long firstRatedAt(String modelId) {
        return store.firstCreatedAt(modelId);
    }
}
