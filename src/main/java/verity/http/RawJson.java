package verity.http;

import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.core.JsonParser;

/**
 * JSON kept as the client's UTF-8 bytes. Large documents (a chat of thousands of messages) are split into their
 * top-level fields by one checking pass ({@link JsonScanner}: values are skipped, never decoded), stored and
 * returned as slices of those bytes: no tree, no String, no re-serialisation.
 */
public final class RawJson {
    private RawJson() {}

    /** One JSON value's exact bytes: {@code length} bytes of {@code bytes} from {@code start}. */
    public record Slice(byte[] bytes, int start, int length) {
        public static Slice of(byte[] bytes) {
            return new Slice(bytes, 0, bytes.length);
        }

        /** The bytes as an array of their own (the backing array itself when the slice covers all of it). */
        public byte[] toArray() {
            return start == 0 && length == bytes.length ? bytes : java.util.Arrays.copyOfRange(bytes, start, start + length);
        }

        public byte first() {
            return bytes[start];
        }

        public String text() {
            return new String(bytes, start, length, StandardCharsets.UTF_8);
        }
    }

    /** A raw value that is a JSON string, decoded; null for anything else. */
    public static String string(Slice raw) {
        if (raw == null || raw.length() == 0 || raw.first() != '"') {
            return null;
        }
        try (JsonParser p = Json.MAPPER.createParser(raw.bytes(), raw.start(), raw.length())) {
            p.nextToken();
            return p.getString();
        }
    }

    /**
     * Reads the object in {@code json[from, to)}: its fields as slices, in order (the last of duplicate names
     * wins, at the first one's place). The member named {@code open} (may be null), when it holds an object, is
     * split into its own fields in the same pass. Malformed JSON, text after the object and invalid UTF-8 are an
     * {@link IllegalArgumentException}.
     */
    public static RawObject parse(byte[] json, int from, int to, String open) {
        return JsonScanner.object(json, from, to, open);
    }

    /**
     * Writes {@code value} as the JSON response, with its {@link RawObject}s appended to the output by reference:
     * the body is sent from the slices it was assembled from.
     */
    public static void respond(Context ctx, Object value) {
        Parts parts = new Parts();
        Json.MAPPER.writeValue(parts, value);
        ctx.contentType(ContentType.APPLICATION_JSON);
        ctx.header("Content-Length", Long.toString(parts.length()));
        ctx.result(parts.stream());
    }

    /** An output that keeps appended slices by reference and copies only what is written to it. */
    static final class Parts extends OutputStream {
        private final List<Slice> parts = new ArrayList<>();
        private final ByteArrayOutputStream small = new ByteArrayOutputStream(512);
        private long length;

        @Override
        public void write(int b) {
            small.write(b);
            length++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            small.write(b, off, len);
            length += len;
        }

        void append(Slice slice) {
            keepSmall();
            parts.add(slice);
            length += slice.length();
        }

        private void keepSmall() {
            if (small.size() > 0) {
                parts.add(Slice.of(small.toByteArray()));
                small.reset();
            }
        }

        long length() {
            return length;
        }

        InputStream stream() {
            keepSmall();
            List<InputStream> streams = parts.stream()
                    .<InputStream>map(s -> new ByteArrayInputStream(s.bytes(), s.start(), s.length())).toList();
            return new SequenceInputStream(Collections.enumeration(streams));
        }
    }
}
