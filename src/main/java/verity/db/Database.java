package verity.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import verity.config.DatabaseUrl;

/**
 * The connection pool plus a few helpers for hand-written SQL. Values are always bound with {@code ?}.
 * Store calls made inside {@link #inTransaction} share that transaction's connection.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource pool;
    private final DatabaseUrl.Kind kind;
    private final ThreadLocal<Connection> transaction = new ThreadLocal<>();
    /** What to run once the current transaction commits (see {@link #afterCommit}). */
    private final ThreadLocal<List<Runnable>> onCommit = new ThreadLocal<>();
    /**
     * SQLite allows one writer at a time and its busy handler backs off with sleeps of up to 100 ms, which
     * collapses throughput under concurrent writes. Writers of this process therefore queue on this lock
     * (fairly) instead; readers never take it. Unused for PostgreSQL.
     */
    private final ReentrantLock sqliteWriter = new ReentrantLock(true);
    /** SQLite only. */
    private final GroupCommit groupCommit;
    /** SQLite only. */
    private final Checkpointer checkpointer;

    private Database(HikariDataSource pool, DatabaseUrl.Kind kind) {
        this.pool = pool;
        this.kind = kind;
        this.groupCommit = kind == DatabaseUrl.Kind.SQLITE ? new GroupCommit(this) : null;
        this.checkpointer = kind == DatabaseUrl.Kind.SQLITE ? new Checkpointer(pool) : null;
    }

    /** Opens the pool and brings the schema up to date with the one Flyway history shared by both databases. */
    public static Database open(DatabaseUrl url) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url.jdbcUrl());
        hc.setPoolName("verity");
        if (url.kind() == DatabaseUrl.Kind.SQLITE) {
            createParentDir(url.jdbcUrl().substring("jdbc:sqlite:".length()));
            hc.addDataSourceProperty("journal_mode", "WAL");
            hc.addDataSourceProperty("synchronous", "NORMAL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            hc.addDataSourceProperty("wal_autocheckpoint", Integer.toString(Checkpointer.SAFETY_PAGES));
            // big values (chat contents) span many overflow pages: read them mapped and keep them cached
            hc.addDataSourceProperty("mmap_size", Long.toString(256L << 20));
            hc.addDataSourceProperty("cache_size", "-8192");
            hc.addDataSourceProperty("foreign_keys", "true");
            hc.setConnectionInitSql("PRAGMA foreign_keys=ON");
            hc.setMaximumPoolSize(8);
        } else {
            hc.setUsername(url.user());
            hc.setPassword(url.password());
            hc.setMaximumPoolSize(16);
        }
        hc.setMinimumIdle(2);
        HikariDataSource pool = new HikariDataSource(hc);
        try {
            migrations(url.kind()).dataSource(pool).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool, url.kind());
    }

    /** The one Flyway history of both databases: SQL files plus Java migrations that rewrite data. */
    static FluentConfiguration migrations(DatabaseUrl.Kind kind) {
        return Flyway.configure()
                .locations("classpath:db/migration", "classpath:verity/db/migration")
                .placeholders(java.util.Map.of("nullsFirst", kind == DatabaseUrl.Kind.POSTGRES ? " NULLS FIRST" : ""));
    }

    /**
     * SQL for a parameter of UTF-8 bytes stored in a TEXT column, so large JSON never becomes a String: SQLite
     * takes the bytes as they are, PostgreSQL checks and converts them.
     */
    public static String utf8Text(boolean postgres) {
        return postgres ? "convert_from(?, 'UTF8')" : "CAST(? AS TEXT)";
    }

    private static void createParentDir(String file) {
        try {
            Path parent = Path.of(file).toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create the database directory for " + file, e);
        }
    }

    public boolean isPostgres() {
        return kind == DatabaseUrl.Kind.POSTGRES;
    }

    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run() throws SQLException;
    }

    /** A nullable BIGINT column. */
    public static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    public <T> List<T> query(String sql, RowMapper<T> mapper, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        });
    }

    @FunctionalInterface
    public interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    /**
     * Streams rows to {@code consumer} without holding the result in memory (PostgreSQL needs a transaction
     * and a fetch size for a server-side cursor; SQLite steps the cursor row by row anyway).
     */
    public void forEach(String sql, RowConsumer consumer, Object... params) {
        withConnection(c -> {
            boolean autoCommit = c.getAutoCommit();
            if (kind == DatabaseUrl.Kind.POSTGRES && autoCommit) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = prepare(c, sql, params)) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(rs);
                    }
                }
            } finally {
                if (kind == DatabaseUrl.Kind.POSTGRES && autoCommit) {
                    c.commit();
                    c.setAutoCommit(true);
                }
            }
            return null;
        });
    }

    public <T> Optional<T> one(String sql, RowMapper<T> mapper, Object... params) {
        List<T> rows = query(sql, mapper, params);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.getFirst());
    }

    public long count(String sql, Object... params) {
        return one(sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    /** Runs an INSERT/UPDATE/DELETE and returns the number of rows changed. */
    public int update(String sql, Object... params) {
        lockWriter();
        try {
            return withConnection(c -> {
                try (PreparedStatement ps = prepare(c, sql, params)) {
                    return ps.executeUpdate();
                }
            });
        } finally {
            unlockWriter();
        }
    }

    /** Runs one INSERT/UPDATE for many rows of parameters with a single prepared statement (a JDBC batch). */
    public void batch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        lockWriter();
        try {
            withConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    for (Object[] row : rows) {
                        for (int i = 0; i < row.length; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                return null;
            });
        } finally {
            unlockWriter();
        }
    }

    private void lockWriter() {
        if (kind == DatabaseUrl.Kind.SQLITE) {
            sqliteWriter.lock();
        }
    }

    private void unlockWriter() {
        if (kind == DatabaseUrl.Kind.SQLITE) {
            sqliteWriter.unlock();
        }
    }

    /** Runs {@code work} in one transaction; nested calls join the outer transaction. */
    public <T> T inTransaction(Work<T> work) {
        if (transaction.get() != null) {
            return call(work);
        }
        lockWriter();
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            transaction.set(c);
            List<Runnable> actions = new ArrayList<>();
            onCommit.set(actions);
            try {
                T result = work.run();
                c.commit();
                actions.forEach(Database::runCommitted);
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                transaction.remove();
                onCommit.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        } finally {
            unlockWriter();
        }
    }

    /**
     * Runs reads in one read-only transaction, so they all see one snapshot of the database, without taking the
     * SQLite writer lock (in WAL mode a reader's snapshot starts with its first SELECT and writers go on).
     */
    public <T> T inSnapshot(Work<T> work) {
        if (transaction.get() != null) {
            return call(work);
        }
        try (Connection c = pool.getConnection()) {
            int isolation = c.getTransactionIsolation();
            c.setAutoCommit(false);
            if (kind == DatabaseUrl.Kind.POSTGRES) {
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            }
            transaction.set(c);
            try {
                return work.run();
            } finally {
                transaction.remove();
                c.rollback();
                c.setAutoCommit(true);
                c.setTransactionIsolation(isolation);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    /**
     * Like {@link #inTransaction}, for short writes issued by many requests at once: on SQLite the work may share
     * one transaction (and one commit) with other callers' work, each undone alone if it fails, and this returns
     * once that transaction is committed. The work must only write through this Database (it runs on another
     * thread, and runs again on its own when another piece of its batch fails) and must not depend on seeing the
     * other work of its batch.
     */
    public <T> T inSharedTransaction(Work<T> work) {
        if (groupCommit == null || transaction.get() != null) {
            return inTransaction(work);
        }
        return groupCommit.run(work);
    }

    /**
     * Runs {@code action} once the current transaction has committed (still holding the SQLite writer lock, so
     * actions run in commit order there), or at once outside a transaction; dropped if the transaction rolls back.
     * For in-memory state that must follow committed data exactly. An action that throws is logged.
     */
    public void afterCommit(Runnable action) {
        List<Runnable> actions = onCommit.get();
        if (actions == null) {
            runCommitted(action);
        } else {
            actions.add(action);
        }
    }

    private static void runCommitted(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Database.class).error("after-commit action failed", e);
        }
    }

    /** True when the database answers a trivial query. */
    public boolean ping() {
        try {
            return one("SELECT 1", rs -> rs.getInt(1)).orElse(0) == 1;
        } catch (DataAccessException e) {
            return false;
        }
    }

    private interface ConnectionWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(ConnectionWork<T> work) {
        Connection tx = transaction.get();
        try {
            if (tx != null) {
                return work.run(tx);
            }
            try (Connection c = pool.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    private static <T> T call(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw new DataAccessException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object[] params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    @Override
    public void close() {
        if (groupCommit != null) {
            groupCommit.close();
        }
        if (checkpointer != null) {
            checkpointer.close();
        }
        pool.close();
    }
}
