package verity.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import verity.chats.ChatService;
import verity.config.DatabaseUrl;
import verity.support.Db;
import verity.support.Postgres;
import verity.users.User;

/** V7 splits every stored chat text into one row per top-level key without changing a byte of any value. */
class ChatFieldsMigrationTest {
    @TempDir
    Path dir;

    /** Stored text → what the chat reads as afterwards (same values and order, compact between top-level keys). */
    private static final Map<String, String> LEGACY = Map.of(
            "{\"title\":\"Legacy\",\"messages\":[{\"id\":\"m1\",\"content\":\"héllo \\\"q\\\" 😀\"}],\"params\":{\"t\":0.70},"
                    + "\"big\":12345678901234567890}",
            "{\"title\":\"Legacy\",\"messages\":[{\"id\":\"m1\",\"content\":\"héllo \\\"q\\\" 😀\"}],\"params\":{\"t\":0.70},"
                    + "\"big\":12345678901234567890}",
            "{\n  \"b\" : [ 1 ,2 ] ,\n  \"a\":{ \"x\" : \"y, z\" }\n}\n", "{\"b\":[ 1 ,2 ],\"a\":{ \"x\" : \"y, z\" }}",
            "{}", "{}",
            "{\"a\":1,\"z\":0,\"a\":2}", "{\"a\":2,\"z\":0}");

    @ParameterizedTest
    @EnumSource(Db.class)
    void every_chat_reads_the_same_after_the_migration(Db kind) throws Exception {
        String pgUrl = null;
        DatabaseUrl url;
        if (kind == Db.POSTGRES) {
            Assumptions.assumeTrue(Postgres.available(), "PostgreSQL is not reachable");
            pgUrl = Postgres.createDatabase();
            url = DatabaseUrl.parse("DATABASE_URL", pgUrl);
        } else {
            url = DatabaseUrl.sqlite(dir.resolve("legacy.db"));
        }
        try {
            Database.migrations(url.kind()).dataSource(url.jdbcUrl(), url.user(), url.password()).target("6").load().migrate();
            User owner = new User("u1", "u1@verity.test", "Owner", "user", "/user.png", 0, 0, 0, false);
            try (var c = java.sql.DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
                 var users = c.prepareStatement("INSERT INTO users (id, email, name, role, profile_image_url, password_hash, "
                         + "last_active_at, created_at, updated_at) VALUES ('u1', 'u1@verity.test', 'Owner', 'user', '', '', 0, 0, 0)");
                 var chats = c.prepareStatement("INSERT INTO chats (id, user_id, title, chat, created_at, updated_at) "
                         + "VALUES (?, 'u1', 'Legacy', ?, 1, 1)")) {
                users.executeUpdate();
                int n = 0;
                for (String text : LEGACY.keySet()) {
                    chats.setString(1, "c" + n++);
                    chats.setString(2, text);
                    chats.executeUpdate();
                }
            }
            try (Database db = Database.open(url)) {
                ChatService chats = new ChatService(db, Clock.systemUTC());
                int n = 0;
                for (String text : LEGACY.keySet()) {
                    String id = "c" + n++;
                    assertEquals(LEGACY.get(text), chats.get(owner, id).chat().toString(), text);
                    assertEquals("Legacy", chats.get(owner, id).title());
                }
                assertEquals(8, db.count("SELECT COUNT(*) FROM chat_fields"));
                assertThrows(DataAccessException.class, () -> db.count("SELECT COUNT(chat) FROM chats"), "the old column is gone");
                chats.deleteAll(owner);
                assertEquals(0, db.count("SELECT COUNT(*) FROM chat_fields"), "rows go with their chat");
            }
        } finally {
            if (pgUrl != null) {
                Postgres.dropDatabase(pgUrl);
            }
        }
    }
}
