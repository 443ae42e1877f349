package verity.gateway;

import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * A model defined in Verity: a preset over {@code baseModelId} (system prompt and parameters), or, with no
 * base, an override of the provider model with the same id.
 */
public record CustomModel(String id, String userId, String baseModelId, String name,
                          @JsonRawValue String params, @JsonRawValue String meta, boolean isActive,
                          long updatedAt, long createdAt) {}
