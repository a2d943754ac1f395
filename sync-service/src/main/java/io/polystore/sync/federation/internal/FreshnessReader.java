package io.polystore.sync.federation.internal;

import io.polystore.sync.SyncProperties;
import io.polystore.sync.federation.SourceFreshness;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads the relays' delivered positions from where they keep them, so that every replica can answer (not only the
 * one relaying): the PostgreSQL relay's replication slot in order-service's database, and the SurrealDB relay's
 * cursor in sync-service's own ({@code relay_cursor}). A source that cannot be read is reported without position.
 */
public final class FreshnessReader {

    private static final Logger log = LoggerFactory.getLogger(FreshnessReader.class);

    private final DataSource orders;
    private final SyncProperties properties;
    private final JdbcClient sync;
    private final Clock clock;

    /** @param orders order-service's database as the relay's user, which may read the slot and the outbox */
    public FreshnessReader(DataSource orders, SyncProperties properties, JdbcClient sync, Clock clock) {
        this.orders = orders;
        this.properties = properties;
        this.sync = sync;
        this.clock = clock;
    }

    public List<SourceFreshness> read() {
        return List.of(orders(), catalog());
    }

    private SourceFreshness orders() {
        Instant now = clock.instant();
        // The newest outbox row at or below the confirmed position (Debezium confirms the LSN of the last row it
        // delivered): found backwards on the created_at index.
        String sql = "SELECT s.confirmed_flush_lsn::text, pg_wal_lsn_diff(pg_current_wal_lsn(), s.confirmed_flush_lsn)::bigint, "
                + "(SELECT e.created_at FROM " + properties.postgres().table() + " e WHERE e.wal_lsn <= s.confirmed_flush_lsn "
                + "ORDER BY e.created_at DESC LIMIT 1) FROM pg_replication_slots s WHERE s.slot_name = ?";
        try (Connection connection = orders.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, properties.postgres().slot());
            try (ResultSet result = statement.executeQuery()) {
                if (result.next() && result.getString(1) != null) {
                    Timestamp through = result.getTimestamp(3);
                    return new SourceFreshness("orders", "postgres", result.getString(1),
                            through == null ? null : through.toInstant(), result.getLong(2), now);
                }
            }
        } catch (SQLException e) {
            log.debug("Cannot read the PostgreSQL relay's position: {}", e.getMessage());
        }
        return new SourceFreshness("orders", "postgres", null, null, null, now);
    }

    private SourceFreshness catalog() {
        Instant now = clock.instant();
        String source = properties.surrealdb().source();
        try {
            Optional<Long> cursor = sync.sql("SELECT position FROM relay_cursor WHERE source = :source")
                    .param("source", source).query(Long.class).optional();
            // The cursor is the next versionstamp to read; its high bits are the commit's milliseconds.
            return cursor.filter(next -> next > 0)
                    .map(next -> new SourceFreshness("catalog", source, Long.toString(next - 1),
                            Instant.ofEpochMilli((next - 1) >>> 16), null, now))
                    .orElseGet(() -> new SourceFreshness("catalog", source, null, null, null, now));
        } catch (RuntimeException e) {
            log.debug("Cannot read the SurrealDB relay's cursor: {}", e.getMessage());
            return new SourceFreshness("catalog", source, null, null, null, now);
        }
    }
}
