package verity.feedback;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A feedback entry as stored: {@code data}, {@code meta} and {@code snapshot} are JSON text written out
 * unchanged, so a rating keeps its JSON type ("1" stays a string, 1 a number).
 */
public record Feedback(String id, String userId, long version, String type,
                       @JsonRawValue String data, @JsonRawValue String meta, @JsonRawValue String snapshot,
                       long createdAt, long updatedAt) {}
