package io.polystore.gateway.limits.internal;

import io.polystore.gateway.limits.LimitsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One token bucket per caller key, in the gateway's database, so that every gateway instance takes from the same
 * bucket and a limit of N admits N in all. A bucket is refilled lazily, evenly over its period (greedy), by the one
 * statement that takes a token from it, under its row lock, by the database's clock (instances' clocks may differ);
 * a bucket left alone for its period is full again, so buckets idle that long are deleted (at most once a minute).
 * Should the database not answer, or be busy ({@link BucketTable}), the request is let through: the limit is
 * protection, not the service.
 */
public final class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final String TAKE = """
            INSERT INTO rate_limit_bucket AS bucket (limit_name, caller, tokens, refilled_at, taken)
            VALUES (:limit, :caller, :capacity - 1, clock_timestamp(), true)
            ON CONFLICT (limit_name, caller) DO UPDATE SET
                tokens = least(:capacity, bucket.tokens
                                 + extract(epoch FROM clock_timestamp() - bucket.refilled_at) * :perSecond)
                         - CASE WHEN least(:capacity, bucket.tokens
                                 + extract(epoch FROM clock_timestamp() - bucket.refilled_at) * :perSecond) >= 1
                           THEN 1 ELSE 0 END,
                taken = least(:capacity, bucket.tokens
                                 + extract(epoch FROM clock_timestamp() - bucket.refilled_at) * :perSecond) >= 1,
                refilled_at = clock_timestamp()
            RETURNING taken, tokens""";

    private final BucketTable table;
    private final String name;
    private final LimitsProperties.RateLimit limit;
    private final double perSecond;
    private final Clock clock;
    private volatile Instant nextSweep;

    /** @param name the limit's name, which keeps its buckets apart from other limits' */
    public RateLimiter(BucketTable table, String name, LimitsProperties.RateLimit limit, Clock clock) {
        this.table = table;
        this.name = name;
        this.limit = limit;
        this.perSecond = limit.requests() / (limit.per().toNanos() / 1e9);
        this.clock = clock;
        this.nextSweep = clock.instant();
    }

    /** Takes one request from the caller's bucket; when it is empty, says how long until the next one is allowed. */
    public Optional<Duration> tryAcquire(String key) {
        sweepIfDue();
        Optional<Map<String, Object>> taken;
        try {
            taken = table.run(jdbc -> jdbc.sql(TAKE).param("limit", name).param("caller", key)
                    .param("capacity", (double) limit.requests()).param("perSecond", perSecond).query().singleRow());
        } catch (DataAccessException e) {
            log.warn("Rate limit {} not checked, the database did not answer: {}", name, e.getMessage());
            return Optional.empty();
        }
        if (taken.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> bucket = taken.get();
        if (Boolean.TRUE.equals(bucket.get("taken"))) {
            return Optional.empty();
        }
        double missing = 1 - ((Number) bucket.get("tokens")).doubleValue();
        return Optional.of(Duration.ofNanos((long) Math.ceil(missing / perSecond * 1e9)));
    }

    private void sweepIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextSweep)) {
            return;
        }
        nextSweep = now.plus(SWEEP_INTERVAL);
        try {
            table.run(jdbc -> jdbc.sql("DELETE FROM rate_limit_bucket WHERE limit_name = :limit"
                            + " AND refilled_at < clock_timestamp() - make_interval(secs => :seconds)")
                    .param("limit", name).param("seconds", (double) limit.per().toSeconds()).update());
        } catch (DataAccessException e) {
            log.warn("Deleting idle rate-limit buckets failed; the next sweep tries again: {}", e.getMessage());
        }
    }
}
