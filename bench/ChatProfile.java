import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import verity.http.RawJson;
import verity.http.RawObject;

/**
 * Where the time of one chat update goes: each step of POST /api/chats/{id} repeated in isolation, with the
 * server's own classes (RawJson, RawObject) and the same SQLite settings (WAL, synchronous=NORMAL) and schema
 * (one chat_fields row per top-level key).
 *
 *   java -cp /tmp/bench/verity.jar bench/ChatProfile.java CHAT_FILE [iterations=30]
 *
 * Prints the median wall and thread-CPU milliseconds per step.
 */
public class ChatProfile {
    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static int iterations;

    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        RawObject chat = RawJson.parse(body, 0, body.length, "chat").object("chat");
        System.out.printf("body %.2f MB, chat keys %s%n", body.length / 1e6, chat.fields().keySet());

        step("RawJson.parse(body, open \"chat\")  [one checking pass]", () -> RawJson.parse(body, 0, body.length, "chat"));
        step("value slices -> byte[] (what JDBC binds)", () -> {
            int n = 0;
            for (RawJson.Slice s : chat.fields().values()) {
                n += s.toArray().length;
            }
            return n;
        });
        step("RawObject.toBytes() (one 5 MB copy; the response appends the slices instead)", chat::toBytes);

        Path dir = Files.createTempDirectory("chatprofile");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE chat_fields (chat_id VARCHAR(36) NOT NULL, name TEXT NOT NULL, "
                        + "position INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (chat_id, name))");
            }
            c.setAutoCommit(false);
            int position = 0;
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chat_fields VALUES ('c1', ?, ?, CAST(? AS TEXT))")) {
                for (Map.Entry<String, RawJson.Slice> f : chat.fields().entrySet()) {
                    ps.setString(1, f.getKey());
                    ps.setInt(2, position++);
                    ps.setBytes(3, f.getValue().toArray());
                    ps.executeUpdate();
                }
            }
            c.commit();
            step("SQLite SELECT name, position (the merge's layout)", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT name, position FROM chat_fields WHERE chat_id = 'c1'");
                     ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        n += rs.getInt(2);
                    }
                    return n;
                }
            });
            step("SQLite SELECT name, value (GET: 5 MB of bytes)", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT name, value FROM chat_fields WHERE chat_id = 'c1' ORDER BY position");
                     ResultSet rs = ps.executeQuery()) {
                    int n = 0;
                    while (rs.next()) {
                        n += rs.getBytes(2).length;
                    }
                    return n;
                }
            });
            step("SQLite UPDATE every key's value + COMMIT", () -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE chat_fields SET value = CAST(? AS TEXT) WHERE chat_id = 'c1' AND name = ?")) {
                    for (Map.Entry<String, RawJson.Slice> f : chat.fields().entrySet()) {
                        ps.setBytes(1, f.getValue().toArray());
                        ps.setString(2, f.getKey());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
                return null;
            });
        } finally {
            try (var files = Files.list(dir)) {
                files.forEach(f -> f.toFile().delete());
            }
            dir.toFile().delete();
        }
    }

    static void step(String name, Callable<Object> work) throws Exception {
        for (int i = 0; i < 10; i++) {
            work.call();
        }
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int i = 0; i < iterations; i++) {
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            work.call();
            wall.add((System.nanoTime() - t0) / 1e6);
            cpu.add((THREADS.getCurrentThreadCpuTime() - c0) / 1e6);
        }
        System.out.printf("%-78s wall %7.2f ms   thread CPU %7.2f ms%n", name, median(wall), median(cpu));
    }

    static double median(List<Double> v) {
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
