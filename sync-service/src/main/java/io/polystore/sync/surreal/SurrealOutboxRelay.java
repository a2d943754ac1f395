package io.polystore.sync.surreal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.relay.OutboxEntry;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.Relay;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Relays catalog-service's outbox from its SurrealDB change feed: reads {@code SHOW CHANGES FOR TABLE outbox SINCE
 * <cursor>} page by page, publishes the inserted rows in feed order (commit order), and saves the cursor only after
 * Kafka acknowledged them (at-least-once). Polls again at once while pages come back full, every
 * {@code busy-poll-interval} while changes trickle in, and backs off to {@code idle-poll-interval} while idle.
 */
public final class SurrealOutboxRelay implements Relay {

    private final SurrealClient surreal;
    private final ChangeFeedCursors cursors;
    private final ChangeFeedEntries entries;
    private final OutboxPublisher publisher;
    private final SyncProperties.Surrealdb settings;
    private final Clock clock;
    private volatile boolean stopping;
    private volatile Thread runner;
    private volatile Instant caughtUpAt;

    public SurrealOutboxRelay(SurrealClient surreal, ChangeFeedCursors cursors, ChangeFeedEntries entries,
                              OutboxPublisher publisher, SyncProperties.Surrealdb settings, Clock clock,
                              MeterRegistry registry) {
        this.surreal = surreal;
        this.cursors = cursors;
        this.entries = entries;
        this.publisher = publisher;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("polystore.sync.changefeed.cursor.age", this, SurrealOutboxRelay::cursorAgeSeconds)
                .description("Time since the relay last read the change feed to its end (NaN on standby replicas)")
                .baseUnit("seconds")
                .tag("source", settings.source())
                .register(registry);
    }

    @Override
    public String source() {
        return settings.source();
    }

    @Override
    public void run(Runnable working) throws Exception {
        stopping = false;
        runner = Thread.currentThread();
        try {
            long next = cursors.next(source()).orElse(0);
            Duration pause = settings.busyPollInterval();
            while (!stopping) {
                Instant readAt = clock.instant();
                List<Map<String, Object>> page = read(next);
                next = publish(page, next);
                working.run();
                if (page.size() < settings.batchSize()) {
                    caughtUpAt = readAt;
                }
                if (page.isEmpty()) {
                    pause = min(max(pause.multipliedBy(2), settings.busyPollInterval()), settings.idlePollInterval());
                } else {
                    pause = page.size() < settings.batchSize() ? settings.busyPollInterval() : Duration.ZERO;
                }
                if (!pause.isZero() && !stopping) {
                    Thread.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            if (!stopping) {
                throw e;
            }
        } finally {
            caughtUpAt = null;
            runner = null;
        }
    }

    @Override
    public void stop() {
        stopping = true;
        Thread thread = runner;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> read(long since) {
        // SINCE takes no parameter; the value is a number this relay produced.
        Object result = surreal.query("SHOW CHANGES FOR TABLE outbox SINCE " + since + " LIMIT " + settings.batchSize())
                .result(0);
        return result instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    @SuppressWarnings("unchecked")
    private long publish(List<Map<String, Object>> page, long next) throws InterruptedException {
        if (page.isEmpty()) {
            return next;
        }
        List<OutboxEntry> batch = new ArrayList<>();
        long last = next - 1;
        for (Map<String, Object> changeSet : page) {
            long versionstamp = ((Number) changeSet.get("versionstamp")).longValue();
            for (Map<String, Object> change : (List<Map<String, Object>>) changeSet.getOrDefault("changes", List.of())) {
                if (change.get("update") instanceof Map<?, ?> row) {
                    batch.add(entries.toEntry((Map<String, Object>) row, versionstamp));
                }
            }
            last = Math.max(last, versionstamp);
        }
        publisher.publish(source(), batch);
        cursors.save(source(), last + 1);
        return last + 1;
    }

    private double cursorAgeSeconds() {
        Instant at = caughtUpAt;
        return at == null ? Double.NaN : Math.max(0, Duration.between(at, clock.instant()).toMillis() / 1000.0);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
