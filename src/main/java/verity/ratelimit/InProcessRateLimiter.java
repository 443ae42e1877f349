package verity.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;

/** Token buckets in memory (bucket4j): {@code limit} requests per window, refilled whole at each window. */
public final class InProcessRateLimiter implements RateLimiter {
    private final long limit;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Bucket> buckets;
    /** Buckets run on the injected clock, so refills follow the same time as the X-RateLimit-Reset header. */
    private final TimeMeter timeMeter;

    public InProcessRateLimiter(long limit, Duration window, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.timeMeter = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                java.time.Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = Caffeine.newBuilder().expireAfterAccess(window.multipliedBy(2)).maximumSize(1_000_000).build();
    }

    @Override
    public Decision acquire(String key) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder()
                .addLimit(l -> l.capacity(limit).refillIntervally(limit, window))
                .withCustomTimePrecision(timeMeter)
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long nowMillis = clock.millis();
        long reset = ceilSeconds(nowMillis + probe.getNanosToWaitForReset() / 1_000_000);
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, ceilSeconds(probe.getNanosToWaitForRefill() / 1_000_000));
        return new Decision(probe.isConsumed(), limit, probe.getRemainingTokens(), reset, retryAfter);
    }

    /** Records one event against {@code key} without refusing it; true if the budget was still open. */
    public boolean record(String key) {
        return acquire(key).allowed();
    }

    /** Whether {@code key} still has budget, without spending any; empty budget gives the seconds to wait. */
    public long secondsUntilAvailable(String key) {
        Bucket bucket = buckets.getIfPresent(key);
        if (bucket == null) {
            return 0;
        }
        long nanos = bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill();
        return nanos == 0 ? 0 : Math.max(1, ceilSeconds(nanos / 1_000_000));
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
