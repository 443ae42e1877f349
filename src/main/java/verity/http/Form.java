package verity.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON request body read as an object, with field readers that collect every problem and report them
 * together as one 422 ({@link #check()}). Malformed JSON is a 400.
 */
public final class Form {
    private final ObjectNode body;
    private final List<ApiException.FieldError> errors = new ArrayList<>();

    private Form(ObjectNode body) {
        this.body = body;
    }

    /** Reads the body; an empty body counts as missing (422), malformed JSON as 400. */
    public static Form of(Context ctx) {
        return new Form(parse(ctx, false));
    }

    /** {@link #of(Context)} for a body already read. */
    public static Form of(byte[] body) {
        return new Form(parse(body, false));
    }

    /** Reads the body; an empty body is treated as {@code {}}. */
    public static Form ofOptional(Context ctx) {
        return new Form(parse(ctx, true));
    }

    private static ObjectNode parse(Context ctx, boolean emptyIsObject) {
        return parse(ctx.bodyAsBytes(), emptyIsObject);
    }

    /** Parsed from the bytes as they came (no String first): malformed UTF-8 is malformed JSON, a 400. */
    private static ObjectNode parse(byte[] body, boolean emptyIsObject) {
        if (blank(body)) {
            if (emptyIsObject) {
                return Json.object();
            }
            throw ApiException.invalid(null, "Field required", "missing");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.invalid(null, "Input should be a valid dictionary or object", "model_attributes_type");
        }
        return object;
    }

    private static boolean blank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * The body as raw JSON fields ({@link RawJson#parse}) for bodies too large to be worth a tree (whole chats);
     * the member {@code open}, when an object, is split into its own fields in the same pass. Same errors as
     * {@link #of}: empty → 422, not an object → 422, malformed (or not UTF-8) → 400.
     */
    public static RawObject rawObject(Context ctx, String open) {
        byte[] body = bodyBytes(ctx);
        int start = 0;
        while (start < body.length && (body[start] == ' ' || body[start] == '\n' || body[start] == '\r' || body[start] == '\t')) {
            start++;
        }
        if (start == body.length || body[start] != '{') {
            parse(body, false); // the same 422 or 400 as any other JSON body
        }
        try {
            return RawJson.parse(body, start, body.length, open);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Malformed JSON body: " + e.getMessage());
        }
    }

    /**
     * The body read straight into an array of its declared length: Javalin's reader grows a buffer and copies it,
     * three copies of a 5 MB chat. (The length was checked against MAX_BODY_SIZE before the handler ran.)
     */
    private static byte[] bodyBytes(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length < 0 || length > Integer.MAX_VALUE) {
            return ctx.bodyAsBytes();
        }
        byte[] body = new byte[(int) length];
        try {
            if (ctx.req().getInputStream().readNBytes(body, 0, body.length) < body.length) {
                throw ApiException.badRequest("The request body is shorter than its Content-Length");
            }
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("The request body could not be read: " + e.getMessage());
        }
        return body;
    }

    /** A member of a {@link #rawObject} body that must hold a JSON object; a 422 otherwise. */
    public static RawObject requireRawObject(RawObject body, String field) {
        RawJson.Slice raw = body.get(field);
        if (raw == null || raw.first() == 'n') {
            throw ApiException.invalid(field, "Field required", "missing");
        }
        RawObject object = body.object(field);
        if (object == null) {
            throw ApiException.invalid(field, "Input should be a valid dictionary", "dict_type");
        }
        return object;
    }

    public ObjectNode raw() {
        return body;
    }

    public boolean has(String field) {
        return body.has(field) && !body.get(field).isNull();
    }

    public String requiredString(String field, int maxLength) {
        return string(field, maxLength, true);
    }

    public String optionalString(String field, int maxLength) {
        return string(field, maxLength, false);
    }

    private String string(String field, int maxLength, boolean required) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                error(field, "Field required", "missing");
            }
            return null;
        }
        if (!node.isString()) {
            error(field, "Input should be a valid string", "string_type");
            return null;
        }
        String value = node.asString();
        if (value.length() > maxLength) {
            error(field, "String should have at most " + maxLength + " characters", "string_too_long");
            return null;
        }
        // PostgreSQL text cannot hold U+0000 (the query fails) and SQLite truncates at it: refuse it up front.
        if (value.indexOf('\u0000') >= 0) {
            error(field, "String should not contain NUL characters", "value_error");
            return null;
        }
        return value;
    }

    public Boolean optionalBoolean(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isBoolean()) {
            error(field, "Input should be a valid boolean", "bool_type");
            return null;
        }
        return node.asBoolean();
    }

    /** A list of strings, each at most {@code maxLength}; null when absent. */
    public List<String> optionalStrings(String field, int maxItems, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            error(field, "Input should be a valid list", "list_type");
            return null;
        }
        if (node.size() > maxItems) {
            error(field, "List should have at most " + maxItems + " items", "too_long");
            return null;
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString() || item.asString().length() > maxLength) {
                error(field, "Input should be a list of strings of at most " + maxLength + " characters", "string_type");
                return null;
            }
            values.add(item.asString());
        }
        return values;
    }

    public Integer optionalInt(String field, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            error(field, "Input should be a valid integer", "int_type");
            return null;
        }
        int value = node.asInt();
        if (value < min || value > max) {
            error(field, "Input should be between " + min + " and " + max, value < min ? "greater_than_equal" : "less_than_equal");
            return null;
        }
        return value;
    }

    public Double optionalNumber(String field, double min, double max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            error(field, "Input should be a valid number", "float_type");
            return null;
        }
        double value = node.asDouble();
        if (!(value >= min && value <= max)) {
            error(field, "Input should be between " + min + " and " + max, value < min ? "greater_than_equal" : "less_than_equal");
            return null;
        }
        return value;
    }

    public ObjectNode optionalObject(String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!(node instanceof ObjectNode object)) {
            error(field, "Input should be a valid dictionary", "dict_type");
            return null;
        }
        return object;
    }

    public ObjectNode requiredObject(String field) {
        if (!has(field)) {
            error(field, "Field required", "missing");
            return null;
        }
        return optionalObject(field);
    }

    public void error(String field, String msg, String type) {
        errors.add(ApiException.FieldError.body(field, msg, type));
    }

    /** Throws the collected 422, if any. */
    public Form check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(List.copyOf(errors));
        }
        return this;
    }
}
