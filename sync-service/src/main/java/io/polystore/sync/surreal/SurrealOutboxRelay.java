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
 * page by page and publishes the inserted rows in feed order (commit order). Every {@code late-entry-delay} (after
 * each page while it is behind, and when it stops) it deletes the rows it published from the outbox table and saves
 * its cursor, one statement each for all the pages since: at-least-once, a crash publishes them again. Polls again at
 * once while pages come back full, every {@code busy-poll-interval} while changes trickle in, and backs off to
 * {@code idle-poll-interval} while idle.
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
        Cleanup cleanup = new Cleanup();
        try {
            cleanup.startAt(cursors.next(source()).orElse(0));
            Duration pause = settings.busyPollInterval();
            Instant nextTableVisit = clock.instant();
            while (!stopping) {
                Instant readAt = clock.instant();
                List<Map<String, Object>> page = readFeed(cleanup.cursor);
                relay(page, cleanup);
                working.run();
                boolean caughtUp = page.size() < settings.batchSize();
                if (caughtUp) {
                    caughtUpAt = readAt;
                }
                if (!readAt.isBefore(nextTableVisit)) {
                    // First, so that rows published but still in the table do not look late.
                    cleanup.run();
                    if (caughtUp) {
                        relayLateRows(readAt.minus(settings.lateEntryDelay()));
                        nextTableVisit = readAt.plus(settings.lateEntryDelay());
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
            cleanup.runOnStop();
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

    /** Publishes the rows the page inserted; deleting them and moving the cursor past the page are the cleanup's. */
    @SuppressWarnings("unchecked")
    private void relay(List<Map<String, Object>> page, Cleanup cleanup) throws InterruptedException {
        if (page.isEmpty()) {
            return;
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
        if (!batch.isEmpty()) {
            publisher.publish(source(), batch);
        }
        cleanup.relayed(ids, versionstamp(page.getLast()) + 1);
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
            publisher.publish(source(), batch);
            delete(ids);
            lateEntries.increment(rows.size());
            log.info("Relayed {} outbox rows that the change feed showed only after the relay had read past them, "
                    + "written from {}", rows.size(), ChangeFeedEntries.writtenAt(rows.getFirst()));
            if (rows.size() < settings.batchSize()) {
                return;
            }
        }
    }

    private void delete(List<Object> relayedRows) {
        surreal.query(DELETE_RELAYED.with("relayed", relayedRows)).requireSuccess();
    }

    /**
     * Where the relay is in the feed, and what it has published and not yet cleaned up: the rows to delete from the
     * table and the cursor to save.
     * Done for many pages at once, since a delete and a save per page cost more than the page's read (two round
     * trips, and a SurrealDB transaction that the change feed records too).
     */
    private final class Cleanup {

        private final List<Object> rows = new ArrayList<>();
        private long cursor;
        private long savedCursor;

        void startAt(long saved) {
            cursor = saved;
            savedCursor = saved;
        }

        void relayed(List<Object> relayedRows, long nextCursor) {
            rows.addAll(relayedRows);
            cursor = nextCursor;
        }

        void run() {
            if (!rows.isEmpty()) {
                delete(rows);
                rows.clear();
            }
            if (cursor != savedCursor) {
                cursors.save(source(), cursor);
                savedCursor = cursor;
            }
        }

        /** Best effort: what is left is published again after the next start, as after a crash. */
        void runOnStop() {
            boolean interrupted = Thread.interrupted();
            try {
                run();
            } catch (RuntimeException e) {
                log.info("Could not delete the relayed outbox rows or save the cursor on stopping; the next start "
                        + "publishes them again: {}", e.toString());
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
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
