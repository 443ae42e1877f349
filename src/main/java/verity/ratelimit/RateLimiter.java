package verity.ratelimit;

/**
 * Per-key request budget. The in-process implementation serves one replica; a shared store (Redis) can
 * implement the same interface for several.
 */
public interface RateLimiter {
    /** The outcome of one request: whether it may proceed, and what the X-RateLimit-* headers should say. */
    record Decision(boolean allowed, long limit, long remaining, long resetEpochSeconds, long retryAfterSeconds) {}

    Decision acquire(String key);
}
