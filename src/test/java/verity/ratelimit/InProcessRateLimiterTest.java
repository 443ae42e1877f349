package verity.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The limiter's bookkeeping. Refill follows bucket4j's own (system) time, not the injected clock, which only
 * dates the X-RateLimit-Reset value; refill is therefore checked with a short real window.
 */
class InProcessRateLimiterTest {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void a_key_spends_its_budget_then_is_refused_with_a_retry_after() {
        InProcessRateLimiter limiter = new InProcessRateLimiter(3, Duration.ofMinutes(1), CLOCK);
        for (int i = 0; i < 3; i++) {
            RateLimiter.Decision d = limiter.acquire("alice");
            assertTrue(d.allowed());
            assertEquals(3, d.limit());
            assertEquals(2 - i, d.remaining());
            assertEquals(0, d.retryAfterSeconds());
            long reset = d.resetEpochSeconds();
            assertTrue(reset >= NOW.getEpochSecond() && reset <= NOW.getEpochSecond() + 60, "reset " + reset);
        }
        RateLimiter.Decision refused = limiter.acquire("alice");
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertTrue(refused.retryAfterSeconds() >= 1 && refused.retryAfterSeconds() <= 60, "retry " + refused.retryAfterSeconds());
        assertTrue(refused.resetEpochSeconds() > NOW.getEpochSecond());
    }

    @Test
    void keys_are_independent() {
        InProcessRateLimiter limiter = new InProcessRateLimiter(2, Duration.ofMinutes(1), CLOCK);
        limiter.acquire("a");
        limiter.acquire("a");
        assertFalse(limiter.acquire("a").allowed());
        RateLimiter.Decision b = limiter.acquire("b");
        assertTrue(b.allowed());
        assertEquals(1, b.remaining());
    }

    @Test
    void record_and_seconds_until_available_report_without_refusing_twice() {
        InProcessRateLimiter limiter = new InProcessRateLimiter(2, Duration.ofMinutes(1), CLOCK);
        assertEquals(0, limiter.secondsUntilAvailable("never-seen"));
        assertTrue(limiter.record("k"));
        assertEquals(0, limiter.secondsUntilAvailable("k"), "one left");
        assertTrue(limiter.record("k"));
        long wait = limiter.secondsUntilAvailable("k");
        assertTrue(wait >= 1 && wait <= 60, "wait " + wait);
        assertFalse(limiter.record("k"));
        assertEquals(wait, limiter.secondsUntilAvailable("k"), 1, "checking spends nothing");
    }

    @Test
    void the_budget_refills_whole_after_the_window() {
        verity.support.MutableClock clock = verity.support.MutableClock.now();
        InProcessRateLimiter limiter = new InProcessRateLimiter(2, Duration.ofMinutes(1), clock);
        assertTrue(limiter.acquire("k").allowed());
        assertTrue(limiter.acquire("k").allowed());
        assertFalse(limiter.acquire("k").allowed());
        clock.advance(Duration.ofSeconds(59));
        assertFalse(limiter.acquire("k").allowed(), "still within the window");
        clock.advance(Duration.ofSeconds(2));
        RateLimiter.Decision d = limiter.acquire("k");
        assertTrue(d.allowed());
        assertEquals(1, d.remaining(), "refilled to the full limit, minus this request");
    }
}
