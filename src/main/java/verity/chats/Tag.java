package verity.chats;

import java.util.Locale;
import java.util.Map;

/** A chat tag; its id is the name lower-cased with spaces replaced by underscores. */
public record Tag(String id, String name, String userId, Map<String, Object> meta) {
    static String idOf(String name) {
        return name.trim().replace(" ", "_").toLowerCase(Locale.ROOT);
    }
}
