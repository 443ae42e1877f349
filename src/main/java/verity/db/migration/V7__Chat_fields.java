package verity.db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import verity.db.Database;
import verity.http.RawJson;

/**
 * Chats move from one JSON text per chat ({@code chats.chat}) to one row per top-level key ({@code chat_fields}),
 * so that a shallow merge writes only the keys it is given and reads none of the others. Every stored chat is
 * split by the scanner the API uses: each value is copied byte for byte, keys keep their order.
 */
public class V7__Chat_fields extends BaseJavaMigration {
    /** Rows are sent in batches of about this many bytes. */
    private static final long BATCH_BYTES = 16 << 20;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE chat_fields (
                        chat_id  VARCHAR(36) NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
                        name     TEXT        NOT NULL,
                        position INTEGER     NOT NULL,
                        value    TEXT        NOT NULL,
                        PRIMARY KEY (chat_id, name)
                    )""");
        }
        try (PreparedStatement read = c.prepareStatement("SELECT id, chat FROM chats");
             PreparedStatement write = c.prepareStatement("INSERT INTO chat_fields (chat_id, name, position, value) "
                     + "VALUES (?, ?, ?, " + Database.utf8Text(postgres) + ")")) {
            read.setFetchSize(16);
            long pending = 0;
            try (ResultSet rs = read.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    int position = 0;
                    for (Map.Entry<String, RawJson.Slice> field : split(id, rs.getBytes(2)).entrySet()) {
                        write.setString(1, id);
                        write.setString(2, field.getKey());
                        write.setInt(3, position++);
                        write.setBytes(4, field.getValue().toArray());
                        write.addBatch();
                        pending += field.getValue().length() + 100;
                    }
                    if (pending >= BATCH_BYTES) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
            }
            write.executeBatch();
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE chats DROP COLUMN chat");
        }
    }

    private static Map<String, RawJson.Slice> split(String id, byte[] chat) {
        try {
            return RawJson.parse(chat, 0, chat.length, null).fields();
        } catch (IllegalArgumentException e) {
            // Every stored chat was checked to be a JSON object when it was written: stop rather than lose one.
            throw new IllegalStateException("chat " + id + " does not hold a JSON object: " + e.getMessage(), e);
        }
    }
}
