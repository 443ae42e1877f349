package verity.http;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation of raw JSON kept as bytes. Jackson's byte parser lets overlong forms and surrogates
 * through when it skips a string, and PostgreSQL refuses them on insert: they must be a 400 up front.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {}

    /** Throws {@link IllegalArgumentException} unless {@code b[from, to)} is well-formed UTF-8. */
    static void check(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            if (i + 8 <= to && ((long) LONGS.get(b, i) & HIGH_BITS) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
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
                throw invalid(i);
            }
            if (i + more >= to || (b[i + 1] & 0xFF) < low || (b[i + 1] & 0xFF) > high) {
                throw invalid(i);
            }
            for (int k = 2; k <= more; k++) {
                if ((b[i + k] & 0xC0) != 0x80) {
                    throw invalid(i);
                }
            }
            i += more + 1;
        }
    }

    private static IllegalArgumentException invalid(int offset) {
        return new IllegalArgumentException("invalid UTF-8 at byte " + offset);
    }
}
