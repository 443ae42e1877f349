package verity.feedback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import verity.db.Database;

/** SQL for feedback, its extracted columns, sibling/tag rows and earlier versions. */
final class FeedbackStore {
    private static final String COLUMNS = "f.id, f.user_id, f.version, f.type, f.data, f.meta, f.created_at, f.updated_at";
    private static final String AUTHOR = "u.name AS u_name, u.email AS u_email, u.role AS u_role, "
            + "u.last_active_at AS u_active, u.updated_at AS u_updated, u.created_at AS u_created";

    private final Database db;

    FeedbackStore(Database db) {
        this.db = db;
    }

    private static Feedback feedback(ResultSet rs) throws SQLException {
        return new Feedback(rs.getString("id"), rs.getString("user_id"), rs.getLong("version"), rs.getString("type"),
                rs.getString("data"), rs.getString("meta"), rs.getString("snapshot"),
                rs.getLong("created_at"), rs.getLong("updated_at"));
    }

    static FeedbackItem item(ResultSet rs, boolean withAuthor) throws SQLException {
        FeedbackItem.Author author = withAuthor ? new FeedbackItem.Author(rs.getString("user_id"), rs.getString("u_name"),
                rs.getString("u_email"), rs.getString("u_role"), rs.getLong("u_active"), rs.getLong("u_updated"),
                rs.getLong("u_created")) : null;
        return new FeedbackItem(rs.getString("id"), rs.getString("user_id"), rs.getLong("version"), rs.getString("type"),
                rs.getString("data"), rs.getString("meta"), rs.getLong("created_at"), rs.getLong("updated_at"), author);
    }

    void insert(Feedback f, Extracted e) {
        insert(f, e, null);
    }

    /** Inserts a feedback; {@code requestId} links it to the logged request it rates (dialect feedback). */
    void insert(Feedback f, Extracted e, String requestId) {
        db.inSharedTransaction(() -> {
            db.update("""
                    INSERT INTO feedback (id, user_id, type, data, meta, snapshot, version, model_id, rating, rating_num,
                                          request_id, created_at, updated_at, user_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT name FROM users WHERE id = ?))""",
                    f.id(), f.userId(), f.type(), f.data(), f.meta(), f.snapshot(), f.version(), e.modelId(),
                    e.rating(), e.ratingNum(), requestId, f.createdAt(), f.updatedAt(), f.userId());
            insertChildren(f, e);
            return null;
        });
    }

    /**
     * Serialises look-up-then-insert of one voter's vote on one request until the transaction ends, so two
     * concurrent votes cannot both insert. SQLite writers already hold one lock for the whole transaction.
     */
    void lockVote(String requestId, String userId, String type) {
        if (db.isPostgres()) {
            db.one("SELECT pg_advisory_xact_lock(hashtext(?))", rs -> 0, requestId + "/" + userId + "/" + type);
        }
    }

    /**
     * Feedback of the given types, oldest first, optionally limited to a time window (epoch seconds, inclusive)
     * and an author; the snapshot is read only when asked for.
     */
    void forEachRow(List<String> types, Long from, Long to, String userId, boolean withSnapshot, Consumer<FeedbackRow> consumer) {
        StringBuilder sql = new StringBuilder("SELECT f.id, f.user_id, f.type, f.data, f.meta, "
                + (withSnapshot ? "f.snapshot" : "NULL AS snapshot") + ", f.request_id, f.created_at FROM feedback f WHERE f.type IN ("
                + String.join(", ", java.util.Collections.nCopies(types.size(), "?")) + ")");
        List<Object> params = new ArrayList<>(types);
        if (from != null) {
            sql.append(" AND f.created_at >= ?");
            params.add(from);
        }
        if (to != null) {
            sql.append(" AND f.created_at <= ?");
            params.add(to);
        }
        if (userId != null) {
            sql.append(" AND f.user_id = ?");
            params.add(userId);
        }
        sql.append(" ORDER BY f.created_at, f.id");
        db.forEach(sql.toString(), rs -> consumer.accept(new FeedbackRow(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8))), params.toArray());
    }

    /** Feedback matching the list filters, oldest first, with snapshots. */
    void forEachRow(FeedbackQuery q, Consumer<FeedbackRow> consumer) {
        List<Object> params = new ArrayList<>();
        db.forEach("SELECT f.id, f.user_id, f.type, f.data, f.meta, f.snapshot, f.request_id, f.created_at FROM feedback f"
                        + q.where(params) + " ORDER BY f.created_at, f.id",
                rs -> consumer.accept(new FeedbackRow(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8))), params.toArray());
    }

    /** The voter's current feedback of {@code type} on a logged request. */
    Optional<String> findByRequest(String requestId, String userId, String type) {
        return db.one("SELECT id FROM feedback WHERE request_id = ? AND user_id = ? AND type = ? ORDER BY created_at, id",
                rs -> rs.getString(1), requestId, userId, type);
    }

    /** Sibling and tag rows, each with a copy of the feedback's model_id (and rating) and created_at for leaderboards. */
    private void insertChildren(Feedback f, Extracted e) {
        for (int i = 0; i < e.siblings().size(); i++) {
            db.update("INSERT INTO feedback_siblings (feedback_id, position, model_id, feedback_model_id, feedback_rating, "
                    + "feedback_created_at) VALUES (?, ?, ?, ?, ?, ?)", f.id(), i, e.siblings().get(i), e.modelId(), e.rating(),
                    f.createdAt());
        }
        for (int i = 0; i < e.tags().size(); i++) {
            db.update("INSERT INTO feedback_tags (feedback_id, tag, position, feedback_model_id, feedback_created_at) "
                    + "VALUES (?, ?, ?, ?, ?)", f.id(), e.tags().get(i), i, e.modelId(), f.createdAt());
        }
    }

    Optional<Feedback> find(String id) {
        return db.one("SELECT " + COLUMNS + ", f.snapshot FROM feedback f WHERE f.id = ?", FeedbackStore::feedback, id);
    }

    /**
     * {@link #find} inside {@link #inTransaction}, locking the row until the transaction ends so concurrent
     * updates of one feedback apply one after the other (SQLite: writers already queue on one lock).
     */
    Optional<Feedback> findForUpdate(String id) {
        return db.one("SELECT " + COLUMNS + ", f.snapshot FROM feedback f WHERE f.id = ?" + (db.isPostgres() ? " FOR UPDATE" : ""),
                FeedbackStore::feedback, id);
    }

    <T> T inTransaction(Database.Work<T> work) {
        return db.inTransaction(work);
    }

    /** Saves {@code next} over {@code previous}, keeping {@code previous} as an earlier version. */
    void update(Feedback previous, Feedback next, Extracted e) {
        db.inTransaction(() -> {
            db.update("""
                    INSERT INTO feedback_versions (feedback_id, version, type, data, meta, snapshot, updated_at, replaced_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                    previous.id(), previous.version(), previous.type(), previous.data(), previous.meta(),
                    previous.snapshot(), previous.updatedAt(), next.updatedAt());
            db.update("""
                    UPDATE feedback SET type = ?, data = ?, meta = ?, snapshot = ?, version = ?, model_id = ?, rating = ?,
                                        rating_num = ?, updated_at = ? WHERE id = ?""",
                    next.type(), next.data(), next.meta(), next.snapshot(), next.version(), e.modelId(), e.rating(),
                    e.ratingNum(), next.updatedAt(), next.id());
            db.update("DELETE FROM feedback_siblings WHERE feedback_id = ?", next.id());
            db.update("DELETE FROM feedback_tags WHERE feedback_id = ?", next.id());
            insertChildren(next, e);
            return null;
        });
    }

    List<Feedback> history(String id) {
        return db.query("SELECT v.feedback_id AS id, f.user_id, v.version, v.type, v.data, v.meta, v.snapshot, "
                        + "f.created_at, v.updated_at FROM feedback_versions v JOIN feedback f ON f.id = v.feedback_id "
                        + "WHERE v.feedback_id = ? ORDER BY v.version DESC", FeedbackStore::feedback, id);
    }

    boolean delete(String id) {
        return db.update("DELETE FROM feedback WHERE id = ?", id) > 0;
    }

    int deleteByUser(String userId) {
        return db.update("DELETE FROM feedback WHERE user_id = ?", userId);
    }

    int deleteAll() {
        return db.update("DELETE FROM feedback");
    }

    /**
     * One page. The ids are picked first from the index matching the order (every list order has one ending in
     * id), so an OFFSET skips index entries instead of reading whole rows; only the page's rows are then read.
     */
    List<FeedbackItem> page(FeedbackQuery q, int limit, int offset) {
        List<Object> params = new ArrayList<>();
        String ids = "SELECT f.id FROM feedback f" + q.where(params) + q.orderBy() + " LIMIT ? OFFSET ?";
        params.add(limit);
        params.add(offset);
        String sql = "SELECT " + COLUMNS + ", " + AUTHOR + " FROM (" + ids + ") p JOIN feedback f ON f.id = p.id "
                + "JOIN users u ON u.id = f.user_id" + q.orderBy();
        return db.query(sql, rs -> item(rs, true), params.toArray());
    }

    long count(FeedbackQuery q) {
        List<Object> params = new ArrayList<>();
        return db.count("SELECT COUNT(*) FROM feedback f" + q.where(params), params.toArray());
    }

    List<FeedbackItem> byUser(String userId, int limit, int offset) {
        return db.query("SELECT " + COLUMNS + " FROM feedback f WHERE f.user_id = ? ORDER BY f.created_at DESC, f.id DESC "
                + "LIMIT ? OFFSET ?", rs -> item(rs, false), userId, limit, offset);
    }

    long countByUser(String userId) {
        return db.count("SELECT COUNT(*) FROM feedback WHERE user_id = ?", userId);
    }

    List<String> modelIds() {
        return db.query("SELECT DISTINCT model_id FROM feedback WHERE model_id IS NOT NULL ORDER BY model_id", rs -> rs.getString(1));
    }

    /** Streams matching rows, with the author and optionally the snapshot. */
    void forEach(FeedbackQuery q, boolean withSnapshot, Database.RowConsumer consumer) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + (withSnapshot ? ", f.snapshot" : "") + ", f.model_id, f.rating, " + AUTHOR
                + " FROM feedback f JOIN users u ON u.id = f.user_id" + q.where(params) + q.orderBy();
        db.forEach(sql, consumer, params.toArray());
    }

    /**
     * Feedback rated "1" or "-1" that has siblings, created in [{@code from}, {@code to}), oldest first; optionally
     * only those carrying {@code tag}. Reads the sibling rows alone (they carry the feedback's columns).
     */
    void forEachVote(String tag, long from, long to, Consumer<Vote> consumer) {
        // Case is folded here rather than with SQL LOWER(), which in SQLite (and a PostgreSQL database with the C
        // locale) folds ASCII only, so "ärger" would miss "Ärger" on one database and match on the other.
        List<String> spellings = tag == null ? List.of() : tagSpellings(tag, from);
        if (tag != null && spellings.isEmpty()) {
            return;
        }
        String in = String.join(", ", java.util.Collections.nCopies(spellings.size(), "?"));
        // From the beginning, the tag's rows drive (one index range, then a sort of the matches); over a short
        // recent range, checking each vote's tags is cheaper.
        String tagFilter = tag == null ? ""
                : from == Long.MIN_VALUE ? " AND s.feedback_id IN (SELECT t.feedback_id FROM feedback_tags t WHERE t.tag IN (" + in + "))"
                : " AND EXISTS (SELECT 1 FROM feedback_tags t WHERE t.feedback_id = s.feedback_id AND t.tag IN (" + in + "))";
        List<Object> params = new ArrayList<>(List.of(from, to));
        params.addAll(spellings);
        forEachVoteRow(null, tagFilter, params, (vote, tags) -> consumer.accept(vote));
    }

    /** Like {@link #forEachVote} over all votes, each with its tags (for topic weighting). */
    void forEachTaggedVote(java.util.function.BiConsumer<Vote, List<String>> consumer) {
        String tags = db.isPostgres()
                ? "(SELECT string_agg(t.tag, chr(31)) FROM feedback_tags t WHERE t.feedback_id = s.feedback_id)"
                : "(SELECT group_concat(t.tag, char(31)) FROM feedback_tags t WHERE t.feedback_id = s.feedback_id)";
        forEachVoteRow(tags, "", List.of(Long.MIN_VALUE, Long.MAX_VALUE), (vote, joined) ->
                consumer.accept(vote, joined == null || joined.isEmpty() ? List.of() : List.of(joined.split("\u001f"))));
    }

    /**
     * Votes from the sibling rows alone (they carry the feedback's columns), one per feedback with its opponents in
     * order, and the value of {@code extraColumn} (null when not asked for).
     */
    private void forEachVoteRow(String extraColumn, String filter, List<Object> params,
                                java.util.function.BiConsumer<Vote, String> consumer) {
        Vote[] current = {null};
        String[] extra = {null};
        db.forEach("SELECT s.feedback_id, s.feedback_model_id, s.feedback_rating, s.feedback_created_at, s.model_id"
                + (extraColumn == null ? "" : ", " + extraColumn)
                + " FROM feedback_siblings s WHERE s.feedback_created_at >= ? AND s.feedback_created_at < ? "
                + "AND s.feedback_rating IN ('1', '-1') AND s.feedback_model_id IS NOT NULL" + filter
                + " ORDER BY s.feedback_created_at, s.feedback_id, s.position", rs -> {
                    String id = rs.getString(1);
                    if (current[0] == null || !current[0].feedbackId().equals(id)) {
                        if (current[0] != null) {
                            consumer.accept(current[0], extra[0]);
                        }
                        current[0] = new Vote(id, rs.getString(2), rs.getString(3), new ArrayList<>(), rs.getLong(4));
                        extra[0] = extraColumn == null ? null : rs.getString(6);
                    }
                    current[0].opponents().add(rs.getString(5));
                }, params.toArray());
        if (current[0] != null) {
            consumer.accept(current[0], extra[0]);
        }
    }

    /**
     * The tags equal to {@code tag} ignoring case, stored on feedback created at {@code from} or later (or on any
     * feedback, when {@code from} is Long.MIN_VALUE).
     */
    private List<String> tagSpellings(String tag, long from) {
        String folded = tag.toLowerCase(java.util.Locale.ROOT);
        // CROSS JOIN: SQLite would otherwise walk every tag and look each one's feedback up.
        List<String> stored = from == Long.MIN_VALUE ? distinctTags()
                : db.query("SELECT DISTINCT t.tag FROM feedback f CROSS JOIN feedback_tags t WHERE t.feedback_id = f.id "
                        + "AND f.created_at >= ?", rs -> rs.getString(1), from);
        return stored.stream().filter(t -> t.toLowerCase(java.util.Locale.ROOT).equals(folded)).toList();
    }

    List<String> distinctTags() {
        return db.query("SELECT DISTINCT tag FROM feedback_tags", rs -> rs.getString(1));
    }

    /** Tag counts per model over feedback created in [{@code from}, {@code to}), in no particular order. */
    List<TagCount> tagCounts(long from, long to) {
        if (from == Long.MIN_VALUE) {
            // One pass over the (model, tag, created_at) index.
            return db.query("SELECT feedback_model_id, tag, COUNT(*), MIN(feedback_created_at) FROM feedback_tags "
                            + "WHERE feedback_model_id IS NOT NULL AND feedback_created_at < ? GROUP BY feedback_model_id, tag",
                    rs -> new TagCount(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)), to);
        }
        // A recent range: feedback by the (created_at, id) index, then each one's tags, counted here (with a GROUP BY,
        // SQLite would rather scan a model index over all feedback; CROSS JOIN keeps feedback as the outer loop).
        Map<List<String>, long[]> counts = new HashMap<>();
        db.forEach("SELECT f.model_id, t.tag, f.created_at FROM feedback f CROSS JOIN feedback_tags t "
                + "WHERE t.feedback_id = f.id AND f.created_at >= ? AND f.created_at < ?", rs -> {
                    String model = rs.getString(1);
                    if (model != null) {
                        long[] c = counts.computeIfAbsent(List.of(model, rs.getString(2)), k -> new long[] {0, Long.MAX_VALUE});
                        c[0]++;
                        c[1] = Math.min(c[1], rs.getLong(3));
                    }
                }, from, to);
        List<TagCount> out = new ArrayList<>();
        counts.forEach((k, c) -> out.add(new TagCount(k.get(0), k.get(1), c[0], c[1])));
        return out;
    }

    /** created_at of the model's "1"/"-1" ratings since {@code since}, with whether each was a win. */
    void forEachOutcome(String modelId, long since, Consumer<Outcome> consumer) {
        db.forEach("SELECT created_at, rating FROM feedback WHERE model_id = ? AND rating IN ('1', '-1') AND created_at >= ? "
                + "ORDER BY created_at", rs -> consumer.accept(new Outcome(rs.getLong(1), "1".equals(rs.getString(2)))),
                modelId, since);
    }

    long firstCreatedAt(String modelId) {
        return db.one("SELECT MIN(created_at) FROM feedback WHERE model_id = ? AND rating IN ('1', '-1')",
                rs -> rs.getLong(1), modelId).orElse(0L);
    }
}
