package verity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import verity.config.DatabaseUrl;

/** Writes from many threads committed together on SQLite: each caller sees its own outcome only. */
class SharedTransactionTest {
    @TempDir
    Path dir;

    @Test
    void concurrent_writes_commit_and_a_failing_one_is_undone_alone() throws Exception {
        try (Database db = Database.open(DatabaseUrl.sqlite(dir.resolve("t.db")))) {
            db.update("CREATE TABLE t (k INTEGER PRIMARY KEY, v TEXT NOT NULL)");
            List<Future<Integer>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < 200; i++) {
                    int k = i;
                    results.add(pool.submit(() -> db.inSharedTransaction(() -> {
                        db.update("INSERT INTO t (k, v) VALUES (?, ?)", k, "a");
                        // Every tenth write fails after its first row: that row must not stay.
                        return k % 10 == 0 ? db.update("INSERT INTO t (k, v) VALUES (?, NULL)", k + 1000) : k;
                    })));
                }
                int failed = 0;
                for (int i = 0; i < results.size(); i++) {
                    if (i % 10 == 0) {
                        int at = i;
                        assertThrows(java.util.concurrent.ExecutionException.class, () -> results.get(at).get());
                        failed++;
                    } else {
                        assertEquals(i, results.get(i).get());
                    }
                }
                assertEquals(20, failed);
            }
            assertEquals(180, db.count("SELECT COUNT(*) FROM t"));
            assertEquals(0, db.count("SELECT COUNT(*) FROM t WHERE k % 10 = 0"));
        }
    }

    @Test
    void after_commit_actions_run_once_for_committed_work_and_never_for_failed_work() throws Exception {
        try (Database db = Database.open(DatabaseUrl.sqlite(dir.resolve("t.db")))) {
            db.update("CREATE TABLE t (k INTEGER PRIMARY KEY)");
            java.util.Map<Integer, java.util.concurrent.atomic.AtomicInteger> committed = new java.util.concurrent.ConcurrentHashMap<>();
            List<Future<?>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(32)) {
                for (int i = 0; i < 300; i++) {
                    int k = i % 250; // 50 keys are written twice: the second write of each fails on the primary key
                    results.add(pool.submit(() -> db.inSharedTransaction(() -> {
                        db.update("INSERT INTO t (k) VALUES (?)", k);
                        db.afterCommit(() -> committed.computeIfAbsent(k, x -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet());
                        return null;
                    })));
                }
                int failed = 0;
                for (Future<?> f : results) {
                    try {
                        f.get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertEquals(DataAccessException.class, e.getCause().getClass());
                        failed++;
                    }
                }
                assertEquals(50, failed);
            }
            assertEquals(250, db.count("SELECT COUNT(*) FROM t"));
            assertEquals(250, committed.size());
            committed.forEach((k, n) -> assertEquals(1, n.get(), "after-commit action of " + k));
        }
    }
}
