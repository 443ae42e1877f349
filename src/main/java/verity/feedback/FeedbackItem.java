package verity.feedback;

import com.fasterxml.jackson.annotation.JsonRawValue;

/** A feedback in a list: no snapshot, and the author's public fields (null where not joined). */
public record FeedbackItem(String id, String userId, long version, String type,
                           @JsonRawValue String data, @JsonRawValue String meta,
                           long createdAt, long updatedAt, Author user) {

    /** The author as Open WebUI embeds it in feedback lists. */
    public record Author(String id, String name, String email, String role, long lastActiveAt, long updatedAt, long createdAt) {}
}
