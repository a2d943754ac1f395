package io.polystore.servicedefaults.outbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes outbox rows older than the retention, in small batches. Safe at any time and on several replicas at once:
 * sync-service relays each row from the WAL when its transaction commits, and a logical replication slot keeps the
 * WAL until the relay confirmed it, so deleting the row afterwards (or even before the relay ran) loses no event;
 * the router ignores the deletes. Runs only where the outbox table exists, so a service with a database but no
 * outbox is left alone.
 */
public class OutboxCleanup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxCleanup.class);

    private final JdbcClient jdbc;
    private final OutboxProperties properties;
    private final Clock clock;
    private final String deleteBatch;
    private ScheduledExecutorService scheduler;

    public OutboxCleanup(JdbcClient jdbc, OutboxProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.deleteBatch = "DELETE FROM " + properties.table() + " WHERE id IN (SELECT id FROM " + properties.table()
                + " WHERE created_at < :cutoff LIMIT :limit FOR UPDATE SKIP LOCKED)";
    }

    /** Deletes every row older than the retention; returns how many. */
    public int deleteExpired() {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(properties.retention()), ZoneOffset.UTC);
        int total = 0;
        int deleted;
        do {
            deleted = jdbc.sql(deleteBatch).param("cutoff", cutoff).param("limit", properties.cleanupBatchSize()).update();
            total += deleted;
        } while (deleted == properties.cleanupBatchSize());
        return total;
    }

    @Override
    public synchronized void start() {
        Boolean exists = jdbc.sql("SELECT to_regclass(:table) IS NOT NULL").param("table", properties.table())
                .query(Boolean.class).single();
        if (!exists) {
            log.debug("No table {}: outbox clean-up stays off", properties.table());
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("outbox-cleanup").factory());
        long interval = properties.cleanupInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::runOnce, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            int deleted = deleteExpired();
            if (deleted > 0) {
                log.debug("Deleted {} outbox rows older than {}", deleted, properties.retention());
            }
        } catch (RuntimeException e) {
            // The next run tries again; a failed clean-up only keeps rows a little longer.
            log.warn("Outbox clean-up failed: {}", e.getMessage());
        }
    }

    @Override
    public synchronized void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
