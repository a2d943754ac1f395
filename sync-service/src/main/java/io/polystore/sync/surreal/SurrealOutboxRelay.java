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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Relays catalog-service's outbox from its SurrealDB change feed: reads {@code SHOW CHANGES FOR TABLE outbox SINCE
 * <versionstamp>} page by page, publishes the inserted rows in feed order (commit order), and saves the cursor only
 * after Kafka acknowledged them (at-least-once). Polls again at once while pages come back full, every
 * {@code busy-poll-interval} while changes trickle in, and backs off to {@code idle-poll-interval} while idle.
 * <p>
 * SurrealDB gives a transaction its versionstamp before the transaction is visible, so of two concurrent transactions
 * the one with the lower versionstamp can appear in the feed after the relay has read past it. Hence the relay
 * re-reads a window behind the newest versionstamp it saw, {@code settle-window} long by the versionstamps' clock,
 * every half of that window (a small page per poll), and publishes what it finds there that it has not published
 * yet. The saved cursor is the window's start, so a restart publishes the window again (duplicates, which the
 * consumers' inboxes absorb). Once nothing new came for a whole window, the window is settled and closed.
 */
public final class SurrealOutboxRelay implements Relay {

    private static final int REREAD_PAGE = 50;
    private static final long DONE = Long.MAX_VALUE;

    private final SurrealClient surreal;
    private final ChangeFeedCursors cursors;
    private final ChangeFeedEntries entries;
    private final OutboxPublisher publisher;
    private final SyncProperties.Surrealdb settings;
    private final Clock clock;
    private volatile boolean stopping;
    private volatile Thread runner;
    private volatile Instant caughtUpAt;
    // The position, owned by the thread in run(): ids published within the window, and their versionstamps.
    private final Map<String, Long> published = new HashMap<>();
    private long windowStart;
    private long head;
    private long newest;
    private Instant newestSeenAt;

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
            windowStart = cursors.next(source()).orElse(0);
            head = windowStart;
            newest = windowStart - 1;
            newestSeenAt = clock.instant();
            published.clear();
            Duration pause = settings.busyPollInterval();
            long sweep = DONE;
            Instant sweepAt = clock.instant();
            while (!stopping) {
                Instant readAt = clock.instant();
                if (sweep == DONE && windowStart < head && !readAt.isBefore(sweepAt)) {
                    sweep = windowStart;
                    sweepAt = readAt.plus(settings.settleWindow().dividedBy(2));
                }
                if (sweep != DONE) {
                    sweep = reread(Math.max(sweep, windowStart));
                }
                List<Map<String, Object>> page = read(head, settings.batchSize());
                publish(page);
                working.run();
                if (page.size() < settings.batchSize()) {
                    caughtUpAt = readAt;
                }
                if (sweep != DONE) {
                    pause = Duration.ZERO;
                } else if (page.isEmpty()) {
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
    private List<Map<String, Object>> read(long since, int limit) {
        // SINCE takes no parameter; the value is a number this relay produced.
        Object result = surreal.query("SHOW CHANGES FOR TABLE outbox SINCE " + since + " LIMIT " + limit).result(0);
        return result instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /**
     * Reads one small page of the window again, for transactions that became visible after the relay read past
     * them, and returns where the next one starts, or {@link #DONE} at the end of the feed. One small page per poll
     * (and no pause until the end), so that the re-read holds up new entries little.
     */
    private long reread(long since) throws InterruptedException {
        List<Map<String, Object>> page = read(since, REREAD_PAGE);
        publish(page);
        return page.size() < REREAD_PAGE ? DONE : versionstamp(page.getLast()) + 1;
    }

    /** Publishes the page's entries that were not published within the window yet, then moves the window. */
    @SuppressWarnings("unchecked")
    private void publish(List<Map<String, Object>> page) throws InterruptedException {
        List<OutboxEntry> batch = new ArrayList<>();
        Map<String, Long> fresh = new HashMap<>();
        for (Map<String, Object> changeSet : page) {
            long versionstamp = versionstamp(changeSet);
            for (Map<String, Object> change : (List<Map<String, Object>>) changeSet.getOrDefault("changes", List.of())) {
                if (change.get("update") instanceof Map<?, ?> row) {
                    String id = String.valueOf(row.get("id"));
                    if (!published.containsKey(id) && fresh.putIfAbsent(id, versionstamp) == null) {
                        batch.add(entries.toEntry((Map<String, Object>) row, versionstamp));
                    }
                }
            }
            if (versionstamp > newest) {
                newest = versionstamp;
                newestSeenAt = clock.instant();
            }
            head = Math.max(head, versionstamp + 1);
        }
        if (!batch.isEmpty()) {
            publisher.publish(source(), batch);
        }
        published.putAll(fresh);
        settle();
    }

    /**
     * Moves the window's start to {@code settle-window} behind the newest versionstamp (its high bits are
     * milliseconds), or to the head once nothing new came for a whole window, and saves it as the cursor.
     */
    private void settle() {
        boolean quiet = clock.instant().isAfter(newestSeenAt.plus(settings.settleWindow()));
        long start = quiet ? head : Math.min(head, newest - (settings.settleWindow().toMillis() << 16));
        if (start > windowStart) {
            windowStart = start;
            published.values().removeIf(versionstamp -> versionstamp < start);
            cursors.save(source(), start);
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
