package verity.http;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Top-level fields of a JSON object as raw JSON text, without building a tree. Large documents (a chat of
 * thousands of messages) are merged and returned by slicing the stored text, so an update costs one
 * tokenising pass per document instead of parse + re-serialise.
 */
public final class RawJson {
    private RawJson() {}

    /** The object's fields, each value as its exact JSON text; the last of duplicate keys wins. */
    public static Map<String, String> fields(String json) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not a JSON object");
            }
            String name = null;
            int start = -1;
            for (JsonToken t = p.nextToken(); ; t = p.nextToken()) {
                int offset = (int) p.currentTokenLocation().getCharOffset();
                if (name != null && start >= 0 && (t == JsonToken.PROPERTY_NAME || t == JsonToken.END_OBJECT)) {
                    fields.put(name, trimEnd(json, start, offset));
                    name = null;
                }
                if (t == JsonToken.END_OBJECT) {
                    break;
                }
                if (t != JsonToken.PROPERTY_NAME) {
                    throw new IllegalArgumentException("malformed JSON object");
                }
                name = p.currentName();
                p.nextToken();
                start = (int) p.currentTokenLocation().getCharOffset();
                p.skipChildren();
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content after the JSON object");
            }
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage(), e);
        }
        return fields;
    }

    private static String trimEnd(String json, int start, int end) {
        int i = end;
        while (i > start && (Character.isWhitespace(json.charAt(i - 1)) || json.charAt(i - 1) == ',')) {
            i--;
        }
        return json.substring(start, i);
    }

    /** Writes fields back as a JSON object. */
    public static String object(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder(fields.values().stream().mapToInt(String::length).sum() + 16 * fields.size() + 2);
        sb.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : fields.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(Json.write(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append('}').toString();
    }

    /** A raw value that is a JSON string, decoded; null for anything else. */
    public static String string(String raw) {
        if (raw == null || raw.isEmpty() || raw.charAt(0) != '"') {
            return null;
        }
        return Json.read(raw).asString();
    }
}
