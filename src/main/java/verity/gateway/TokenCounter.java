package verity.gateway;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import tools.jackson.databind.JsonNode;

/** Token counts for requests whose model server reports no usage (cl100k, an estimate for non-OpenAI models). */
final class TokenCounter {
    private static final Encoding CL100K = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    private TokenCounter() {}

    static int count(String text) {
        return text == null || text.isEmpty() ? 0 : CL100K.countTokensOrdinary(text);
    }

    /** Roughly what OpenAI bills for a message list: content tokens plus 3 per message and 3 for the reply. */
    static int prompt(JsonNode messages) {
        int n = 3;
        for (JsonNode m : messages) {
            n += 3;
            JsonNode content = m.path("content");
            if (content.isString()) {
                n += count(content.asString());
            } else if (content.isArray()) {
                for (JsonNode part : content) {
                    n += count(part.path("text").asString(""));
                }
            }
        }
        return n;
    }
}
