package io.polystore.gateway.limits.internal;

import io.polystore.gateway.limits.LimitsProperties;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    @Test
    void allowsTheBucketsWorthThenSaysHowLongToWait() {
        RateLimiter limiter = new RateLimiter(new LimitsProperties.RateLimit(3, Duration.ofMinutes(1)), 100);

        for (int call = 0; call < 3; call++) {
            assertThat(limiter.tryAcquire("alice")).isEmpty();
        }

        assertThat(limiter.tryAcquire("alice")).hasValueSatisfying(
                wait -> assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(20)));
    }

    @Test
    void keepsOneBucketPerCaller() {
        RateLimiter limiter = new RateLimiter(new LimitsProperties.RateLimit(1, Duration.ofMinutes(1)), 100);

        assertThat(limiter.tryAcquire("alice")).isEmpty();
        assertThat(limiter.tryAcquire("alice")).isPresent();
        assertThat(limiter.tryAcquire("bob")).isEmpty();
    }
}
