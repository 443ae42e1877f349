import com.fasterxml.jackson.annotation.JsonRawValue;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
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
import verity.http.Json;
import verity.http.RawJson;

/**
 * Where the time of one chat update goes: each step of POST /api/chats/{id} repeated in isolation, with the
 * server's own classes (RawJson, Json) and the same SQLite settings (WAL, synchronous=NORMAL).
 *
 *   java -cp /tmp/bench/verity.jar bench/ChatProfile.java CHAT_FILE [iterations=30]
 *
 * Prints the median wall and thread-CPU milliseconds per step.
 */
public class ChatProfile {
    record Out(String id, String title, @JsonRawValue String chat, long updatedAt) {}

    static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    static int iterations;

    public static void main(String[] args) throws Exception {
        byte[] body = Files.readAllBytes(Path.of(args[0]));
        iterations = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        String bodyText = new String(body, StandardCharsets.UTF_8);
        String chat = RawJson.fields(bodyText).get("chat");
        System.out.printf("body %.2f MB, chat %d chars, non-ASCII: %s%n", body.length / 1e6, chat.length(),
                bodyText.chars().anyMatch(c -> c > 127));

        step("body bytes -> String (UTF-8 decode)", () -> new String(body, StandardCharsets.UTF_8));
        step("RawJson.fields(body)  [Form.rawFields]", () -> RawJson.fields(bodyText));
        step("RawJson.fields(chat)  [one 5 MB scan; update does 2]", () -> RawJson.fields(chat));
        Map<String, String> merged = RawJson.fields(chat);
        step("RawJson.object(merged)", () -> RawJson.object(merged));
        step("Jackson tree parse of chat (for comparison)", () -> Json.read(chat));
        step("response: writeValueAsString + UTF-8 encode", () ->
                Json.write(new Out("id", "title", chat, 1L)).getBytes(StandardCharsets.UTF_8));

        Path dir = Files.createTempDirectory("chatprofile");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("t.db"))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE chats (id VARCHAR(36) PRIMARY KEY, chat TEXT NOT NULL, updated_at BIGINT)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO chats VALUES ('c1', ?, 0)")) {
                ps.setString(1, chat);
                ps.executeUpdate();
            }
            step("SQLite SELECT chat (5 MB TEXT -> String)", () -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT chat FROM chats WHERE id = 'c1'");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            long[] n = {0};
            Callable<Object> update = () -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE chats SET chat = ?, updated_at = ? WHERE id = 'c1'")) {
                    ps.setString(1, chat);
                    ps.setLong(2, ++n[0]);
                    return ps.executeUpdate();
                }
            };
            step("SQLite UPDATE chat (wal_autocheckpoint=1000, default)", update);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_autocheckpoint=100000");
            }
            step("SQLite UPDATE chat (no checkpoint: wal_autocheckpoint=100000)", update);
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
        System.out.printf("%-62s wall %7.2f ms   thread CPU %7.2f ms%n", name, median(wall), median(cpu));
    }

    static double median(List<Double> v) {
        Collections.sort(v);
        return v.get(v.size() / 2);
    }
}
