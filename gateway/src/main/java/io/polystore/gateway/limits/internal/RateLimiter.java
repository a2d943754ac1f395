package io.polystore.gateway.limits.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.polystore.gateway.limits.LimitsProperties;

import java.time.Duration;
import java.util.Optional;

/**
 * One token bucket per caller key, kept in a bounded cache: a bucket left alone for its refill period is full
 * again, so dropping it loses nothing.
 */
public final class RateLimiter {

    private final LimitsProperties.RateLimit limit;
    private final Cache<String, Bucket> buckets;

    public RateLimiter(LimitsProperties.RateLimit limit, int maxKeys) {
        this.limit = limit;
        this.buckets = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(limit.per()).build();
    }

    /** Takes one request from the caller's bucket; when it is empty, says how long until the next one is allowed. */
    public Optional<Duration> tryAcquire(String key) {
        ConsumptionProbe probe = buckets.get(key, ignored -> newBucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(bandwidth -> bandwidth.capacity(limit.requests()).refillGreedy(limit.requests(), limit.per()))
                .build();
    }
}
