import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The database part of POST /api/evaluations/feedback in isolation, single-threaded, on a Verity SQLite
 * database (schema created by the server; same pragmas: WAL, synchronous=NORMAL, foreign_keys=ON):
 * one feedback row + 1 sibling + 2 tags per create, with a new PreparedStatement per statement as the server
 * does, then variants: statements reused, several creates per transaction (the server's group commit), a
 * savepoint per create, random (v4) or time-ordered (v7) ids.
 *
 *   java -cp /tmp/bench/verity.jar bench/InsertProfile.java DB_FILE USER_ID [creates=3000] [extra URL params, e.g. &mmap_size=1073741824]
 *
 * Prints creates/s and thread CPU µs per create for each variant. The rows it inserts are deleted at the end.
 */
public class InsertProfile {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static final String DATA = "{\"rating\":1,\"model_id\":\"gpt-4o\",\"sibling_model_ids\":[\"mistral:7b\"],\"reason\":\"Accurate information\","
            + "\"comment\":\"Clear answer, but the second code sample did not compile.\",\"tags\":[\"coding\",\"helpful\"],\"details\":{\"rating\":8}}";
    static final String META = "{\"arena\":true,\"chat_id\":\"4f1c2a52-0d0c-4a4e-9d55-0f7a0e1f4f11\",\"message_id\":"
            + "\"a3c0e6a1-6f43-4bb0-8f0c-2d6a1f0c9e21\",\"message_index\":5,\"tags\":[],\"base_models\":{}}";
    static final String INSERT = "INSERT INTO feedback (id, user_id, type, data, meta, snapshot, version, model_id, rating, rating_num, "
            + "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String SIBLING = "INSERT INTO feedback_siblings (feedback_id, position, model_id) VALUES (?, ?, ?)";
    static final String TAG = "INSERT INTO feedback_tags (feedback_id, tag, position) VALUES (?, ?, ?)";

    static String userId;

    public static void main(String[] args) throws Exception {
        String db = args[0];
        userId = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 3000;
        String extra = args.length > 3 ? args[3] : "";
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db + "?journal_mode=WAL&synchronous=NORMAL&foreign_keys=true" + extra)) {
            run("one transaction per create, new statements", c, n, 1, false, false, false);
            run("prepared statements reused, 1 transaction per create", c, n, 1, true, false, false);
            run("prepared statements reused, 64 creates per transaction", c, n, 64, true, false, false);
            // the server's group commit: batches of work sharing a transaction, new statements per create
            run("32 per transaction, a savepoint per create, v4 ids (the server before)", c, n, 32, false, true, false);
            run("32 per transaction, a savepoint per create, v7 ids", c, n, 32, false, true, true);
            run("32 per transaction, no savepoints, v4 ids", c, n, 32, false, false, false);
            run("32 per transaction, no savepoints, v7 ids (the server now)", c, n, 32, false, false, true);
            run("32 per transaction, no savepoints, v7 ids, statements reused", c, n, 32, true, false, true);
            try (Statement s = c.createStatement()) {
                s.execute("DELETE FROM feedback WHERE meta LIKE '%\"profile\":true%'");
            }
        }
    }

    static void run(String name, Connection c, int n, int perTx, boolean reuse, boolean savepoints, boolean v7) throws SQLException {
        PreparedStatement[] cached = reuse
                ? new PreparedStatement[] {c.prepareStatement(INSERT), c.prepareStatement(SIBLING), c.prepareStatement(TAG)} : null;
        for (int pass = 0; pass < 2; pass++) { // pass 0 warms up the JIT
            long c0 = THREADS.getCurrentThreadCpuTime(), t0 = System.nanoTime();
            int count = pass == 0 ? Math.min(n, 500) : n;
            for (int i = 0; i < count; i += perTx) {
                c.setAutoCommit(false);
                for (int k = 0; k < perTx && i + k < count; k++) {
                    java.sql.Savepoint sp = savepoints ? c.setSavepoint() : null;
                    create(c, cached, v7);
                    if (sp != null) {
                        c.releaseSavepoint(sp);
                    }
                }
                c.commit();
                c.setAutoCommit(true);
            }
            if (pass == 1) {
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-70s %8.0f creates/s  %7.1f us thread CPU/create%n", name, count / secs,
                        (THREADS.getCurrentThreadCpuTime() - c0) / 1e3 / count);
            }
        }
    }

    static void create(Connection c, PreparedStatement[] cached, boolean v7) throws SQLException {
        String id = v7 ? verity.db.TimeOrderedIds.next() : UUID.randomUUID().toString();
        long now = System.currentTimeMillis() / 1000;
        PreparedStatement f = cached != null ? cached[0] : c.prepareStatement(INSERT);
        Object[] values = {id, userId, "rating", DATA, META.replace("{", "{\"profile\":true,"), null, 0L, "gpt-4o", "1", 1.0, now, now};
        for (int i = 0; i < values.length; i++) {
            f.setObject(i + 1, values[i]);
        }
        f.executeUpdate();
        if (cached == null) {
            f.close();
        }
        PreparedStatement s = cached != null ? cached[1] : c.prepareStatement(SIBLING);
        s.setObject(1, id);
        s.setObject(2, 0);
        s.setObject(3, "mistral:7b");
        s.executeUpdate();
        if (cached == null) {
            s.close();
        }
        String[] tags = {"coding", "helpful"};
        for (int p = 0; p < tags.length; p++) {
            PreparedStatement t = cached != null ? cached[2] : c.prepareStatement(TAG);
            t.setObject(1, id);
            t.setObject(2, tags[p]);
            t.setObject(3, p);
            t.executeUpdate();
            if (cached == null) {
                t.close();
            }
        }
    }
}
