package io.polystore.gateway.limits.internal;

import io.polystore.gateway.limits.LimitsProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

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
    /** The most buckets one statement takes from: a signed-in caller's client and user. */
    private static final int MOST_AT_ONCE = 2;
    /** The statement taking from 1, 2, ... buckets at index 0, 1, ... */
    private static final List<String> TAKES = IntStream.rangeClosed(1, MOST_AT_ONCE).mapToObj(RateLimiter::take).toList();

    /** One request to count against {@code limiter}'s bucket for {@code key}. */
    public record Take(RateLimiter limiter, String key) {
    }

    /** The limit that refused a request, and how long until its bucket holds a token again. */
    public record Refusal(String limit, Duration retryAfter) {
    }

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
        return tryAcquire(List.of(new Take(this, key))).map(Refusal::retryAfter);
    }

    /**
     * Takes one request from each bucket in one statement, from every one of them even when another is empty (one
     * round trip however many limits count a request); the first empty bucket, in the order given, refuses. All
     * limiters share one table.
     */
    public static Optional<Refusal> tryAcquire(List<Take> takes) {
        if (takes.isEmpty() || takes.size() > MOST_AT_ONCE) {
            throw new IllegalArgumentException("Takes from 1 to " + MOST_AT_ONCE + " buckets at once, not " + takes.size());
        }
        takes.forEach(take -> take.limiter().sweepIfDue());
        Optional<List<Map<String, Object>>> buckets;
        try {
            buckets = takes.getFirst().limiter().table.run(jdbc -> {
                JdbcClient.StatementSpec statement = jdbc.sql(TAKES.get(takes.size() - 1));
                for (int i = 0; i < takes.size(); i++) {
                    RateLimiter limiter = takes.get(i).limiter();
                    statement = statement.param("limit" + i, limiter.name).param("caller" + i, takes.get(i).key())
                            .param("capacity" + i, (double) limiter.limit.requests()).param("perSecond" + i, limiter.perSecond);
                }
                return statement.query().listOfRows();
            });
        } catch (DataAccessException e) {
            log.warn("Rate limits {} not checked, the database did not answer: {}",
                    takes.stream().map(take -> take.limiter().name).collect(Collectors.joining(", ")), e.getMessage());
            return Optional.empty();
        }
        if (buckets.isEmpty()) {
            return Optional.empty();
        }
        Map<Object, Map<String, Object>> byLimit = buckets.get().stream()
                .collect(Collectors.toMap(bucket -> bucket.get("limit_name"), bucket -> bucket));
        for (Take take : takes) {
            RateLimiter limiter = take.limiter();
            Map<String, Object> bucket = byLimit.get(limiter.name);
            if (!Boolean.TRUE.equals(bucket.get("taken"))) {
                double missing = 1 - ((Number) bucket.get("tokens")).doubleValue();
                return Optional.of(new Refusal(limiter.name,
                        Duration.ofNanos((long) Math.ceil(missing / limiter.perSecond * 1e9))));
            }
        }
        return Optional.empty();
    }

    /**
     * Takes a token from each of {@code buckets} buckets, creating a full one first where there is none. A bucket's
     * capacity is what its new row would hold plus the token taken; its refill rate is its limit's.
     */
    private static String take(int buckets) {
        List<String> rows = new ArrayList<>();
        StringBuilder rates = new StringBuilder("CASE bucket.limit_name");
        for (int i = 0; i < buckets; i++) {
            rows.add("(:limit%1$d, :caller%1$d, :capacity%1$d - 1, clock_timestamp(), true)".formatted(i));
            rates.append(" WHEN :limit%1$d THEN :perSecond%1$d".formatted(i));
        }
        return """
                INSERT INTO rate_limit_bucket AS bucket (limit_name, caller, tokens, refilled_at, taken)
                VALUES %s
                ON CONFLICT (limit_name, caller) DO UPDATE SET (tokens, taken, refilled_at) = (
                    SELECT refilled.tokens - CASE WHEN refilled.tokens >= 1 THEN 1 ELSE 0 END, refilled.tokens >= 1,
                           clock_timestamp()
                    FROM (SELECT least(excluded.tokens + 1, bucket.tokens
                                 + extract(epoch FROM clock_timestamp() - bucket.refilled_at) * (%s END)) AS tokens) AS refilled)
                RETURNING limit_name, taken, tokens""".formatted(String.join(", ", rows), rates);
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
