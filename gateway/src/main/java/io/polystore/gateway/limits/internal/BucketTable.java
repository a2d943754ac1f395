package io.polystore.gateway.limits.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The rate-limit buckets in the gateway's database, reached by a few statements at once however many requests wait.
 * Every request takes from a bucket: with hundreds of virtual threads waiting for Hikari's connections, each thread
 * giving one back spins to hand it over while anyone waits ({@code ConcurrentBag.requite}), and on two cores the
 * spinning starved everything else; the gateway stalled at 60 orders/s and ran out of memory. A request that finds
 * no place within {@link #WAIT} is let through, as when the database does not answer, and counted
 * ({@code polystore.gateway.rate.unchecked}).
 */
public final class BucketTable {

    /** Fewer than the gateway's ten connections, so that sign-ins and the account relay always find one. */
    static final int STATEMENTS_AT_ONCE = 4;
    static final Duration WAIT = Duration.ofMillis(100);

    private final JdbcClient jdbc;
    private final Semaphore places = new Semaphore(STATEMENTS_AT_ONCE, true);
    private final Counter unchecked;

    public BucketTable(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.unchecked = meters.counter("polystore.gateway.rate.unchecked");
    }

    /** The statement's result, or empty when no place to run it came free in time. */
    <T> Optional<T> run(Function<JdbcClient, T> statement) {
        try {
            if (!places.tryAcquire(WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
                unchecked.increment();
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(statement.apply(jdbc));
        } finally {
            places.release();
        }
    }
}
