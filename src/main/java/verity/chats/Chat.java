package verity.chats;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.List;
import java.util.Map;

/** A conversation as the API returns it; {@code chat} is the stored JSON text, written out unchanged. */
public record Chat(String id, String userId, String title, @JsonRawValue String chat, long updatedAt, long createdAt,
                   String shareId, boolean archived, boolean pinned, Map<String, Object> meta, String folderId) {

    Chat withTags(List<String> tagIds) {
        return new Chat(id, userId, title, chat, updatedAt, createdAt, shareId, archived, pinned,
                Map.of("tags", tagIds), folderId);
    }
}
