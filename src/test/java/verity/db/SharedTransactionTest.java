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
}
