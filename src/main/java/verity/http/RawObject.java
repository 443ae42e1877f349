package verity.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.annotation.JsonSerialize;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.ser.std.StdSerializer;
import verity.http.RawJson.Slice;

/**
 * A JSON object held as raw bytes: either its fields' values in order ({@link RawJson#parse}) or its whole text
 * as stored. Serialised as a raw value: into a {@link RawJson#respond} body by reference, elsewhere as text.
 */
@JsonSerialize(using = RawObject.Serializer.class)
public final class RawObject {
    private Map<String, Slice> fields;
    private final Slice text;
    private final Map<String, RawObject> opened;

    private RawObject(Map<String, Slice> fields, Slice text, Map<String, RawObject> opened) {
        this.fields = fields;
        this.text = text;
        this.opened = opened;
    }

    /** An object from its fields, written in the map's order. */
    public static RawObject of(Map<String, Slice> fields) {
        return new RawObject(fields, null, Map.of());
    }

    /** An object from a parsed tree, each value written compactly. */
    public static RawObject of(ObjectNode tree) {
        Map<String, Slice> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : tree.properties()) {
            // through a String, as before: a lone surrogate (an escaped one in the request) becomes '?' instead of failing
            fields.put(field.getKey(), Slice.of(Json.write(field.getValue()).getBytes(StandardCharsets.UTF_8)));
        }
        return of(fields);
    }

    /** An object from its stored text, trusted to be one valid JSON object; split into fields only when asked. */
    public static RawObject ofText(byte[] json) {
        return new RawObject(null, Slice.of(json), Map.of());
    }

    static Builder builder() {
        return new Builder();
    }

    /** The fields, in order (read-only). */
    public Map<String, Slice> fields() {
        if (fields == null) {
            fields = RawJson.parse(text.bytes(), text.start(), text.start() + text.length(), null).fields;
        }
        return Collections.unmodifiableMap(fields);
    }

    public Slice get(String name) {
        return fields().get(name);
    }

    /** The member {@code name} split into its own fields by the parse that read this object; null when not an object. */
    public RawObject object(String name) {
        return opened.get(name);
    }

    /** The object as JSON text in UTF-8. */
    public byte[] toBytes() {
        if (text != null) {
            return text.toArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(fields.values().stream().mapToInt(s -> s.length() + 16).sum() + 2);
        writeTo(new OutputTarget(out));
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return new String(toBytes(), StandardCharsets.UTF_8);
    }

    private void writeTo(OutputTarget out) {
        if (text != null) {
            out.append(text);
            return;
        }
        out.write('{');
        boolean first = true;
        for (Map.Entry<String, Slice> e : fields.entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            byte[] name = Json.MAPPER.writeValueAsBytes(e.getKey());
            out.write(name, 0, name.length);
            out.write(':');
            out.append(e.getValue());
        }
        out.write('}');
    }

    /** Where {@link #writeTo} goes: a {@link RawJson.Parts} keeps the values by reference, any other stream copies them. */
    private record OutputTarget(java.io.OutputStream out) {
        void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        void write(byte[] b, int off, int len) {
            try {
                out.write(b, off, len);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        void append(Slice s) {
            if (out instanceof RawJson.Parts parts) {
                parts.append(s);
            } else {
                write(s.bytes(), s.start(), s.length());
            }
        }
    }

    static final class Builder {
        private final Map<String, Slice> fields = new LinkedHashMap<>();
        private Map<String, RawObject> opened = Map.of();

        /** {@code inner}: the value split into fields, when it was (a later duplicate name replaces both). */
        void put(String name, Slice value, RawObject inner) {
            fields.put(name, value);
            if (inner != null) {
                if (opened.isEmpty()) {
                    opened = new HashMap<>(2);
                }
                opened.put(name, inner);
            } else if (!opened.isEmpty()) {
                opened.remove(name);
            }
        }

        RawObject build() {
            return new RawObject(fields, null, opened);
        }
    }

    static final class Serializer extends StdSerializer<RawObject> {
        Serializer() {
            super(RawObject.class);
        }

        @Override
        public void serialize(RawObject value, JsonGenerator gen, SerializationContext ctxt) {
            if (gen.streamWriteOutputTarget() instanceof RawJson.Parts parts) {
                gen.writeRawValue(""); // the separator before the value, then the value itself straight to the output
                gen.flush();
                value.writeTo(new OutputTarget(parts));
            } else {
                gen.writeRawValue(value.toString());
            }
        }
    }
}
