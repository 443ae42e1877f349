package verity.chats;

import java.util.List;
import java.util.Map;
import verity.http.RawObject;

/** A conversation as the API returns it; {@code chat} is the stored JSON, written out as stored. */
public record Chat(String id, String userId, String title, RawObject chat, long updatedAt, long createdAt,
                   String shareId, boolean archived, boolean pinned, Map<String, Object> meta, String folderId) {

    static Chat of(ChatSummary s, RawObject chat, List<String> tagIds) {
        return new Chat(s.id(), s.userId(), s.title(), chat, s.updatedAt(), s.createdAt(), s.shareId(), s.archived(),
                s.pinned(), Map.of("tags", tagIds), s.folderId());
    }
}
