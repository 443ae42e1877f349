package verity.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import verity.http.RawJson.Slice;

/**
 * One pass over a JSON object in UTF-8 that checks it strictly (RFC 8259 grammar, well-formed UTF-8 in strings,
 * no control characters) and records where its members' values start and end, without decoding them. Faster
 * than a tokenising parser because skipped values need no tokens: string bodies, which are most of a chat, are
 * checked eight bytes at a time.
 */
final class JsonScanner {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = 0x2222222222222222L;
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;
    private static final long SPACES = 0x2020202020202020L;
    /** Deeper nesting than this is refused (Jackson's reader has a bound too). */
    static final int MAX_DEPTH = 1000;

    private final byte[] b;
    private final int end;
    private int i;
    private boolean[] inObject = new boolean[64];

    private JsonScanner(byte[] b, int from, int to) {
        this.b = b;
        this.i = from;
        this.end = to;
    }

    /** See {@link RawJson#parse}. */
    static RawObject object(byte[] json, int from, int to, String open) {
        JsonScanner s = new JsonScanner(json, from, to);
        s.ws();
        if (s.peek() != '{') {
            throw s.error("a JSON object");
        }
        RawObject object = s.members(open);
        s.ws();
        if (s.i != s.end) {
            throw new IllegalArgumentException("trailing content after the JSON object at byte " + (s.i - from));
        }
        return object;
    }

    /** The members of the object at {@code i}; {@code open} names one whose object value is split as well. */
    private RawObject members(String open) {
        RawObject.Builder fields = RawObject.builder();
        i++;
        ws();
        if (peek() == '}') {
            i++;
            return fields.build();
        }
        while (true) {
            String name = name();
            ws();
            int start = i;
            RawObject inner = null;
            if (peek() == '{' && name.equals(open)) {
                inner = members(null);
            } else {
                value();
            }
            fields.put(name, new Slice(b, start, i - start), inner);
            ws();
            int c = next();
            if (c == '}') {
                return fields.build();
            }
            if (c != ',') {
                throw error("',' or '}'");
            }
            ws();
        }
    }

    /** A member name and its colon; decoded, since callers look members up by name. */
    private String name() {
        if (peek() != '"') {
            throw error("a member name");
        }
        int start = i;
        boolean escaped = string();
        Slice raw = new Slice(b, start, i - start);
        ws();
        if (next() != ':') {
            throw error("':'");
        }
        return escaped ? RawJson.string(raw) : new String(b, start + 1, raw.length() - 2, StandardCharsets.UTF_8);
    }

    /** Skips one value of any kind, containers iteratively: the depth costs no stack. */
    private void value() {
        int depth = 0;
        while (true) {
            ws();
            int c = peek();
            boolean complete = true;
            if (c == '{' || c == '[') {
                i++;
                ws();
                if (peek() == (c == '{' ? '}' : ']')) {
                    i++;
                } else {
                    push(depth++, c == '{');
                    if (c == '{') {
                        key();
                    }
                    complete = false;
                }
            } else if (c == '"') {
                string();
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                number();
            } else {
                literal();
            }
            if (!complete) {
                continue;
            }
            while (true) {
                if (depth == 0) {
                    return;
                }
                ws();
                int d = next();
                boolean object = inObject[depth - 1];
                if (d == ',') {
                    if (object) {
                        ws();
                        key();
                    }
                    break;
                }
                if (d != (object ? '}' : ']')) {
                    i--;
                    throw error(object ? "',' or '}'" : "',' or ']'");
                }
                depth--;
            }
        }
    }

    private void push(int depth, boolean object) {
        if (depth >= MAX_DEPTH) {
            throw error("at most " + MAX_DEPTH + " levels of nesting");
        }
        if (depth == inObject.length) {
            inObject = java.util.Arrays.copyOf(inObject, depth * 2);
        }
        inObject[depth] = object;
    }

    private void key() {
        if (peek() != '"') {
            throw error("a member name");
        }
        string();
        ws();
        if (next() != ':') {
            throw error("':'");
        }
    }

    /** Skips the string at {@code i} (its opening quote); true when it holds an escape. */
    private boolean string() {
        i++;
        boolean escaped = false;
        while (true) {
            // eight bytes at a time up to the first that is not plain: a quote, a backslash, a control character or
            // non-ASCII (the lowest flagged byte is exact; borrows can only flag bytes after it)
            while (i + 8 <= end) {
                long w = (long) LONGS.get(b, i);
                long special = (w | ((w - SPACES) & ~w) | zeroByte(w ^ QUOTES) | zeroByte(w ^ BACKSLASHES)) & HIGHS;
                if (special != 0) {
                    i += Long.numberOfTrailingZeros(special) >>> 3;
                    break;
                }
                i += 8;
            }
            int c = next();
            if (c == '"') {
                return escaped;
            } else if (c == '\\') {
                escaped = true;
                escape();
            } else if (c < 0x20) {
                i--;
                throw c < 0 ? error("the end of the string") : error("no control character (escape it) in a string");
            } else if (c >= 0x80) {
                utf8(c);
            }
        }
    }

    private static long zeroByte(long v) {
        return (v - ONES) & ~v;
    }

    private void escape() {
        int c = next();
        switch (c) {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> { }
            case 'u' -> {
                for (int k = 0; k < 4; k++) {
                    int h = next();
                    if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                        i--;
                        throw error("four hex digits after \\u");
                    }
                }
            }
            default -> {
                i--;
                throw error("a valid escape");
            }
        }
    }

    /** The rest of a multi-byte character whose first byte {@code c} was just read. */
    private void utf8(int c) {
        int more;
        int low = 0x80;
        int high = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            more = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            more = 2;
            low = c == 0xE0 ? 0xA0 : low; // overlong
            high = c == 0xED ? 0x9F : high; // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            more = 3;
            low = c == 0xF0 ? 0x90 : low; // overlong
            high = c == 0xF4 ? 0x8F : high; // beyond U+10FFFF
        } else {
            throw invalidUtf8();
        }
        if (i + more > end || (b[i] & 0xFF) < low || (b[i] & 0xFF) > high) {
            throw invalidUtf8();
        }
        for (int k = 1; k < more; k++) {
            if ((b[i + k] & 0xC0) != 0x80) {
                throw invalidUtf8();
            }
        }
        i += more;
    }

    private IllegalArgumentException invalidUtf8() {
        return new IllegalArgumentException("invalid UTF-8 in a string near byte " + i);
    }

    private void number() {
        if (peek() == '-') {
            i++;
        }
        if (peek() == '0') {
            i++;
        } else if (digits() == 0) {
            throw error("a digit");
        }
        if (peek() == '.') {
            i++;
            if (digits() == 0) {
                throw error("a digit after the decimal point");
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            i++;
            if (peek() == '+' || peek() == '-') {
                i++;
            }
            if (digits() == 0) {
                throw error("a digit in the exponent");
            }
        }
        int c = peek();
        if (c >= '0' && c <= '9') {
            throw error("no leading zero");
        }
    }

    private int digits() {
        int start = i;
        while (i < end && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        return i - start;
    }

    private void literal() {
        for (String word : new String[] {"true", "false", "null"}) {
            if (matches(word)) {
                i += word.length();
                return;
            }
        }
        throw error("a JSON value");
    }

    private boolean matches(String word) {
        if (i + word.length() > end) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (b[i + k] != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private void ws() {
        while (i < end && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    /** The byte at {@code i} (0..255), or -1 at the end. */
    private int peek() {
        return i < end ? b[i] & 0xFF : -1;
    }

    private int next() {
        int c = peek();
        i++;
        return c;
    }

    private IllegalArgumentException error(String expected) {
        String found = i >= end ? "the end of the input" : printable(b[i] & 0xFF);
        return new IllegalArgumentException("expected " + expected + " at byte " + i + ", found " + found);
    }

    private static String printable(int c) {
        return c >= 0x20 && c < 0x7F ? "'" + (char) c + "'" : String.format("byte 0x%02X", c);
    }
}
