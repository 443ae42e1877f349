package verity.feedback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import verity.db.Database;

/** SQL for feedback, its extracted columns, sibling/tag rows and earlier versions. */
final class FeedbackStore {
    private static final String COLUMNS = "f.id, f.user_id, f.version, f.type, f.data, f.meta, f.created_at, f.updated_at";
    private static final String AUTHOR = "u.name AS u_name, u.email AS u_email, u.role AS u_role, "
            + "u.last_active_at AS u_active, u.updated_at AS u_updated, u.created_at AS u_created";

    /** Rows per INSERT of sibling or tag rows (3 parameters each; far below every database's parameter limit). */
    private static final int CHILD_ROWS = 100;

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

    /**
     * Inserts a feedback; {@code requestId} links it to the logged request it rates (dialect feedback).
     * {@code committed} runs once the insert is committed, before this returns.
     */
    void insert(Feedback f, Extracted e, String requestId, Runnable committed) {
        db.inSharedTransaction(() -> {
            db.update("""
                    INSERT INTO feedback (id, user_id, type, data, meta, snapshot, version, model_id, rating, rating_num,
                                          request_id, created_at, updated_at, user_name)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, (SELECT name FROM users WHERE id = ?))""",
                    f.id(), f.userId(), f.type(), f.data(), f.meta(), f.snapshot(), f.version(), e.modelId(),
                    e.rating(), e.ratingNum(), requestId, f.createdAt(), f.updatedAt(), f.userId());
            insertChildren(f, e);
            db.afterCommit(committed);
            return null;
        });
    }

    /** See {@link Database#afterCommit}. */
    void afterCommit(Runnable action) {
        db.afterCommit(action);
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

    /**
     * Sibling and tag rows (read only by the leaderboards' {@link GameLog}). Their feedback_* copies of the
     * feedback's columns (V5) are no longer written.
     */
    private void insertChildren(Feedback f, Extracted e) {
        insertRows("INSERT INTO feedback_siblings (feedback_id, position, model_id) VALUES ", f.id(), e.siblings());
        insertRows("INSERT INTO feedback_tags (feedback_id, position, tag) VALUES ", f.id(), e.tags());
    }

    /** Rows (feedback id, position, value), several per statement: one statement costs more than its rows. */
    private void insertRows(String insert, String feedbackId, List<String> values) {
        for (int from = 0; from < values.size(); from += CHILD_ROWS) {
            int n = Math.min(CHILD_ROWS, values.size() - from);
            Object[] params = new Object[n * 3];
            for (int i = 0; i < n; i++) {
                params[i * 3] = feedbackId;
                params[i * 3 + 1] = from + i;
                params[i * 3 + 2] = values.get(from + i);
            }
            db.update(insert + String.join(", ", java.util.Collections.nCopies(n, "(?, ?, ?)")), params);
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

    /** Deletes the author's feedback; {@code deleted} gets their ids once that is committed. */
    int deleteByUser(String userId, java.util.function.Consumer<List<String>> deleted) {
        return deleteReturning("DELETE FROM feedback WHERE user_id = ? RETURNING id", deleted, userId);
    }

    int deleteAll(java.util.function.Consumer<List<String>> deleted) {
        return deleteReturning("DELETE FROM feedback RETURNING id", deleted);
    }

    private int deleteReturning(String sql, java.util.function.Consumer<List<String>> deleted, Object... params) {
        return db.inTransaction(() -> {
            List<String> ids = new ArrayList<>();
            db.forEach(sql, rs -> ids.add(rs.getString(1)), params);
            db.afterCommit(() -> deleted.accept(ids));
            return ids.size();
        });
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
