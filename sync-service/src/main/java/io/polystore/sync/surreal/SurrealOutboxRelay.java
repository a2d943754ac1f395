package io.polystore.sync.surreal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.relay.OutboxEntry;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.Relay;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Relays catalog-service's outbox: reads its change feed ({@code SHOW CHANGES FOR TABLE outbox SINCE <versionstamp>})
 * page by page, publishes the inserted rows in feed order (commit order), then deletes them from the outbox table and
 * saves the cursor (at-least-once: a crash in between publishes them again). Polls again at once while pages come
 * back full, every {@code busy-poll-interval} while changes trickle in, and backs off to {@code idle-poll-interval}
 * while idle.
 * <p>
 * SurrealDB gives a transaction its versionstamp before the transaction is visible, so of two concurrent transactions
 * the one with the lower versionstamp can appear in the feed after the relay has read past it, and the feed never
 * shows it to this reader again. The outbox table does: a row stays there until this relay has published it. So
 * whenever the relay has caught up with the feed, and at most every {@code late-entry-delay}, it also reads the rows
 * still in the table that were written longer than {@code late-entry-delay} ago, oldest first: the rows the feed
 * showed too late. It publishes and deletes those too. Nothing depends on how late a transaction becomes visible.
 */
public final class SurrealOutboxRelay implements Relay {

    private static final Logger log = LoggerFactory.getLogger(SurrealOutboxRelay.class);
    private static final SurrealQl DELETE_RELAYED = SurrealQl.of("DELETE $relayed RETURN NONE;");
    private static final SurrealQl LATE_ROWS = SurrealQl.of(
            "SELECT * FROM outbox WHERE occurred_at < $written_before ORDER BY occurred_at LIMIT $limit;");

    private final SurrealClient surreal;
    private final ChangeFeedCursors cursors;
    private final ChangeFeedEntries entries;
    private final OutboxPublisher publisher;
    private final SyncProperties.Surrealdb settings;
    private final Clock clock;
    private final Counter lateEntries;
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
        this.lateEntries = Counter.builder("polystore.sync.changefeed.late.entries")
                .description("Outbox rows the change feed showed only after the relay had read past them, relayed from the table")
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
            long cursor = cursors.next(source()).orElse(0);
            Duration pause = settings.busyPollInterval();
            Instant nextLateRead = clock.instant();
            while (!stopping) {
                Instant readAt = clock.instant();
                List<Map<String, Object>> page = readFeed(cursor);
                cursor = relay(page, cursor);
                working.run();
                boolean caughtUp = page.size() < settings.batchSize();
                if (caughtUp) {
                    caughtUpAt = readAt;
                    if (!readAt.isBefore(nextLateRead)) {
                        relayLateRows(readAt.minus(settings.lateEntryDelay()));
                        nextLateRead = readAt.plus(settings.lateEntryDelay());
                    }
                }
                if (page.isEmpty()) {
                    pause = min(max(pause.multipliedBy(2), settings.busyPollInterval()), settings.idlePollInterval());
                } else {
                    pause = caughtUp ? settings.busyPollInterval() : Duration.ZERO;
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
    private List<Map<String, Object>> readFeed(long since) {
        // SINCE takes no parameter; the value is a number this relay produced.
        Object result = surreal.query("SHOW CHANGES FOR TABLE outbox SINCE " + since + " LIMIT " + settings.batchSize())
                .result(0);
        return result instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** Publishes the rows the page inserted, deletes them from the table, saves and returns the next cursor. */
    @SuppressWarnings("unchecked")
    private long relay(List<Map<String, Object>> page, long cursor) throws InterruptedException {
        if (page.isEmpty()) {
            return cursor;
        }
        List<OutboxEntry> batch = new ArrayList<>();
        List<Object> ids = new ArrayList<>();
        for (Map<String, Object> changeSet : page) {
            Instant committedAt = ChangeFeedEntries.commitTime(versionstamp(changeSet));
            for (Map<String, Object> change : (List<Map<String, Object>>) changeSet.getOrDefault("changes", List.of())) {
                // Deletions (this relay's own) and table definitions are no events.
                if (change.get("update") instanceof Map<?, ?> row) {
                    batch.add(entries.toEntry((Map<String, Object>) row, committedAt));
                    ids.add(row.get("id"));
                }
            }
        }
        publishAndDelete(batch, ids);
        long next = versionstamp(page.getLast()) + 1;
        cursors.save(source(), next);
        return next;
    }

    /** Relays the rows still in the table that were written before {@code writtenBefore}, a page at a time. */
    private void relayLateRows(Instant writtenBefore) throws InterruptedException {
        while (!stopping) {
            List<Map<String, Object>> rows = surreal.query(LATE_ROWS.with("written_before", writtenBefore)
                    .with("limit", settings.batchSize())).rows(0);
            if (rows.isEmpty()) {
                return;
            }
            List<OutboxEntry> batch = new ArrayList<>(rows.size());
            List<Object> ids = new ArrayList<>(rows.size());
            for (Map<String, Object> row : rows) {
                batch.add(entries.toEntry(row, ChangeFeedEntries.writtenAt(row)));
                ids.add(row.get("id"));
            }
            publishAndDelete(batch, ids);
            lateEntries.increment(rows.size());
            log.info("Relayed {} outbox rows that the change feed showed only after the relay had read past them, "
                    + "written from {}", rows.size(), ChangeFeedEntries.writtenAt(rows.getFirst()));
            if (rows.size() < settings.batchSize()) {
                return;
            }
        }
    }

    private void publishAndDelete(List<OutboxEntry> batch, List<Object> ids) throws InterruptedException {
        if (batch.isEmpty()) {
            return;
        }
        publisher.publish(source(), batch);
        surreal.query(DELETE_RELAYED.with("relayed", ids)).requireSuccess();
    }

    private static long versionstamp(Map<String, Object> changeSet) {
        return ((Number) changeSet.get("versionstamp")).longValue();
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
