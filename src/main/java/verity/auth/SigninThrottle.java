package verity.auth;

import java.time.Clock;
import java.time.Duration;
import verity.http.ApiException;
import verity.ratelimit.InProcessRateLimiter;

/** Refuses sign-in for an email after 15 failed attempts within 3 minutes (Open WebUI's limit). */
final class SigninThrottle {
    static final int ATTEMPTS = 15;
    static final Duration WINDOW = Duration.ofMinutes(3);

    private final InProcessRateLimiter failures;

    SigninThrottle(Clock clock) {
        this.failures = new InProcessRateLimiter(ATTEMPTS, WINDOW, clock);
    }

    void checkOpen(String email) {
        long wait = failures.secondsUntilAvailable(email);
        if (wait > 0) {
            throw ApiException.tooManyRequests("Too many failed sign-in attempts for this account. Try again in "
                    + wait + " s.", wait);
        }
    }

    void failed(String email) {
        failures.record(email);
    }
}
