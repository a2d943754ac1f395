package io.polystore.testkit.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The local platform's fail-over of a {@link ReplicatedPostgres}, what Patroni or CloudNativePG's operator do in
 * production: checks the primary every {@code interval}; once it has failed to answer {@code failures} checks in a
 * row, promotes the standby (fencing the old primary first) and then seeds a new standby in its place. A standby that
 * stops streaming is replaced the same way, with replication asynchronous meanwhile, so that commits never wait for a
 * standby that is gone.
 */
public final class PostgresFailover implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresFailover.class);

    private final ReplicatedPostgres postgres;
    private final Duration interval;
    private final int failures;
    private final Consumer<String> events;
    private final List<FailOver> failOvers = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /**
     * One fail-over.
     *
     * @param lastAnswerAt when the old primary last answered a check
     * @param promotedAt   when the standby took writes
     */
    public record FailOver(Instant lastAnswerAt, Instant promotedAt) {

        /** At most how long the platform could not write: from the last good check to the promotion. */
        public Duration withoutPrimary() {
            return Duration.between(lastAnswerAt, promotedAt);
        }
    }

    private PostgresFailover(ReplicatedPostgres postgres, Duration interval, int failures, Consumer<String> events) {
        this.postgres = postgres;
        this.interval = interval;
        this.failures = failures;
        this.events = events;
        this.thread = Thread.ofPlatform().daemon().name("postgres-failover").unstarted(this::watch);
    }

    /**
     * @param events told each fail-over and each standby seeded, for people watching
     */
    public static PostgresFailover watch(ReplicatedPostgres postgres, Duration interval, int failures,
                                         Consumer<String> events) {
        PostgresFailover failover = new PostgresFailover(postgres, interval, failures, events);
        failover.thread.start();
        return failover;
    }

    /** The fail-overs so far, oldest first. */
    public List<FailOver> failOvers() {
        return List.copyOf(failOvers);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void watch() {
        Instant lastAnswerAt = Instant.now();
        int primaryMissed = 0;
        int standbyMissed = 0;
        while (running) {
            try {
                Thread.sleep(interval);
                if (postgres.primaryAnswers(interval)) {
                    lastAnswerAt = Instant.now();
                    primaryMissed = 0;
                    standbyMissed = postgres.standbyStreams() ? 0 : standbyMissed + 1;
                    if (standbyMissed >= failures) {
                        events.accept("PostgreSQL standby on port " + postgres.standbyPort() + " does not stream; replacing it");
                        postgres.replaceStandby();
                        standbyMissed = 0;
                    }
                } else if (++primaryMissed >= failures) {
                    int old = postgres.port();
                    postgres.failOver();
                    FailOver failOver = new FailOver(lastAnswerAt, Instant.now());
                    failOvers.add(failOver);
                    events.accept(String.format("PostgreSQL primary on port %d did not answer %d checks: standby on port %d "
                            + "promoted, %.1f s after the last answer", old, failures, postgres.port(),
                            failOver.withoutPrimary().toMillis() / 1000.0));
                    primaryMissed = 0;
                    postgres.reseedStandby();
                    events.accept("PostgreSQL standby seeded again on port " + postgres.standbyPort());
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The next round tries again (a standby that cannot be seeded yet, a promotion that failed).
                log.warn("PostgreSQL fail-over check failed: {}", e.getMessage(), e);
            }
        }
    }
}
