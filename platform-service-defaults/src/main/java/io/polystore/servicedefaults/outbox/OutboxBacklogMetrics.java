package io.polystore.servicedefaults.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * {@code polystore.outbox.backlog} (rows not yet relayed) and {@code polystore.outbox.oldest.age} (seconds since the
 * oldest of them was written). A row counts as relayed once the replication slot of the relay confirmed a WAL
 * position past the row's insert (a lower bound of its commit, so a long transaction may count as relayed slightly
 * early); without the slot nothing is relayed, so every row counts. One query serves both
 * gauges and is reused for a second, so that a scrape costs one round trip. Where the service has no outbox table
 * the gauges show no value.
 */
public class OutboxBacklogMetrics implements MeterBinder {

    private static final Logger log = LoggerFactory.getLogger(OutboxBacklogMetrics.class);
    private static final Duration REUSE = Duration.ofSeconds(1);

    private final JdbcClient jdbc;
    private final OutboxProperties properties;
    private final Clock clock;
    private final String query;
    private Backlog last;
    private volatile boolean tableExists;

    /** @param rows rows not yet relayed; @param oldest when the oldest of them was written, null without rows */
    public record Backlog(long rows, Instant oldest, Instant measuredAt) {

        double oldestAgeSeconds() {
            return oldest == null ? 0 : Math.max(0, Duration.between(oldest, measuredAt).toMillis() / 1000.0);
        }
    }

    public OutboxBacklogMetrics(JdbcClient jdbc, OutboxProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
        this.query = "SELECT count(*) AS backlog, min(created_at) AS oldest FROM " + properties.table()
                + " WHERE wal_lsn >= COALESCE((SELECT confirmed_flush_lsn FROM pg_replication_slots"
                + " WHERE slot_name = :slot), '0/0'::pg_lsn)";
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("polystore.outbox.backlog", this, metrics -> metrics.current(Backlog::rows))
                .description("Outbox rows the relay has not yet confirmed")
                .baseUnit("rows")
                .register(registry);
        TimeGauge.builder("polystore.outbox.oldest.age", this, TimeUnit.SECONDS, metrics -> metrics.current(Backlog::oldestAgeSeconds))
                .description("Age of the oldest outbox row the relay has not yet confirmed")
                .register(registry);
    }

    /** Measures now, bypassing the reuse window. */
    public Backlog measure() {
        Instant now = clock.instant();
        Backlog backlog = jdbc.sql(query).param("slot", properties.replicationSlot())
                .query((rs, row) -> {
                    Timestamp oldest = rs.getTimestamp("oldest");
                    return new Backlog(rs.getLong("backlog"), oldest == null ? null : oldest.toInstant(), now);
                })
                .single();
        synchronized (this) {
            last = backlog;
        }
        return backlog;
    }

    private double current(ToDoubleFunction<Backlog> value) {
        synchronized (this) {
            if (last != null && last.measuredAt().plus(REUSE).isAfter(clock.instant())) {
                return value.applyAsDouble(last);
            }
        }
        try {
            if (!tableExists) {
                tableExists = jdbc.sql("SELECT to_regclass(:table) IS NOT NULL").param("table", properties.table())
                        .query(Boolean.class).single();
                if (!tableExists) {
                    return Double.NaN;
                }
            }
            return value.applyAsDouble(measure());
        } catch (RuntimeException e) {
            // No value rather than a failed scrape, e.g. while the database is down.
            log.debug("Cannot measure the outbox backlog: {}", e.getMessage());
            return Double.NaN;
        }
    }
}
