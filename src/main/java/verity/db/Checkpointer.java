package verity.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies SQLite's write-ahead log back into the database file from a background thread (SQLite). Left to
 * SQLite, the commit that pushes the log over its limit does that copy and the file sync itself, inside some
 * request; a big write (a 5 MB chat) crossed the limit on every commit. The connection limit
 * ({@link #SAFETY_PAGES}) stays as a bound in case this thread falls behind.
 */
final class Checkpointer {
    private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
    /** {@code wal_autocheckpoint} of every connection: 32 MB of 4 KB pages. */
    static final int SAFETY_PAGES = 8192;
    private static final long INTERVAL_MS = 1000;

    private final DataSource pool;
    private final Thread thread;
    private volatile boolean running = true;

    Checkpointer(DataSource pool) {
        this.pool = pool;
        this.thread = Thread.ofPlatform().name("verity-checkpoint").daemon().unstarted(this::loop);
        thread.start();
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(INTERVAL_MS);
            } catch (InterruptedException e) {
                return;
            }
            checkpoint();
        }
    }

    /** PASSIVE: copies what it can without waiting for readers or writers, so nobody waits for it. */
    void checkpoint() {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException | RuntimeException e) {
            if (running) {
                LOG.warn("background checkpoint failed: {}", e.getMessage());
            }
        }
    }

    void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
