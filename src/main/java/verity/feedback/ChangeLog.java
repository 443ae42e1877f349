package verity.feedback;

/**
 * Numbers every feedback change (the version) and remembers, for the most recent ones, whether the change only
 * added a feedback and with which created_at. A cache derived from feedback in creation order (the Elo
 * leaderboard) can then apply new feedback on top of an older result instead of starting over.
 */
final class ChangeLog {
    private static final int SIZE = 1 << 16;
    /** Marks a change that rewrote or removed existing feedback. */
    private static final long REWRITE = Long.MIN_VALUE;

    private final long[] createdAt = new long[SIZE];
    private volatile long version;

    long version() {
        return version;
    }

    synchronized void created(long createdAt) {
        record(createdAt);
    }

    synchronized void rewritten() {
        record(REWRITE);
    }

    private void record(long value) {
        long next = version + 1;
        createdAt[(int) (next % SIZE)] = value;
        version = next;
    }

    /**
     * True when every change after {@code since} created a feedback with created_at at or after {@code notBefore}
     * (false when those changes are no longer all remembered).
     */
    synchronized boolean onlyCreatedSince(long since, long notBefore) {
        if (since > version || version - since >= SIZE) {
            return false;
        }
        for (long v = since + 1; v <= version; v++) {
            if (createdAt[(int) (v % SIZE)] < notBefore) {
                return false;
            }
        }
        return true;
    }
}
