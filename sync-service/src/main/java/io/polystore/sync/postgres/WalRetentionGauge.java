package io.polystore.sync.postgres;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.sync.SyncProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * WAL that PostgreSQL keeps for the relay's replication slot: it grows while the relay is stopped or behind, and a
 * slot nobody reads fills the disk. Sampled on scrape, at most once per {@code wal-sample-interval}; NaN while the
 * slot does not exist or the database cannot be reached. The alert threshold is exported alongside.
 */
public final class WalRetentionGauge {

    private static final Logger log = LoggerFactory.getLogger(WalRetentionGauge.class);

    private final SyncProperties.Postgres settings;
    private final Clock clock;
    private Instant sampledAt = Instant.MIN;
    private double retainedBytes = Double.NaN;

    public WalRetentionGauge(SyncProperties.Postgres settings, Clock clock, MeterRegistry registry) {
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("polystore.sync.postgres.wal.retained", this, WalRetentionGauge::retainedBytes)
                .description("WAL retained for the relay's replication slot")
                .baseUnit("bytes")
                .tag("slot", settings.slot())
                .register(registry);
        Gauge.builder("polystore.sync.postgres.wal.retained.alert.threshold", settings, s -> s.walRetainedAlertBytes())
                .description("Retained WAL above which operators are alerted")
                .baseUnit("bytes")
                .tag("slot", settings.slot())
                .register(registry);
    }

    public synchronized double retainedBytes() {
        Instant now = clock.instant();
        if (sampledAt.plus(settings.walSampleInterval()).isAfter(now)) {
            return retainedBytes;
        }
        sampledAt = now;
        retainedBytes = sample();
        return retainedBytes;
    }

    private double sample() {
        try (Connection connection = DriverManager.getConnection(settings.jdbcUrl(), settings.username(), settings.password());
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = ?")) {
            statement.setString(1, settings.slot());
            try (ResultSet result = statement.executeQuery()) {
                return result.next() ? result.getDouble(1) : Double.NaN;
            }
        } catch (SQLException e) {
            log.debug("Cannot sample the retained WAL of slot {}: {}", settings.slot(), e.getMessage());
            return Double.NaN;
        }
    }
}
