package verity.requestlog;

import java.util.Map;

/** One relayed completion as logged: what was asked, what came back, how long it took, what it cost. */
public record RequestRecord(String id, String userId, String model, String selectedModelId, String connection,
                            String path, boolean stream, String requestBody, String responseBody, int status,
                            String error, long latencyMs, Long ttftMs, Integer promptTokens, Integer completionTokens,
                            Map<String, String> properties, String heliconeUserId, long createdAtMs) {

    public Integer totalTokens() {
        return promptTokens == null && completionTokens == null ? null
                : (promptTokens == null ? 0 : promptTokens) + (completionTokens == null ? 0 : completionTokens);
    }
}
