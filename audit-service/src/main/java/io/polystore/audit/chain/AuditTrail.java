package io.polystore.audit.chain;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.audit.crypto.PersonalDataCipher;
import io.polystore.audit.crypto.PersonalDataCipher.SearchableField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Appends to the hash chain. Each append is one transaction holding the chain's advisory lock, so that however
 * many replicas consume, one writer at a time reads the head and links the next records to it: the chain stays
 * linear and gap-free. Events already stored are skipped under that same lock, which makes an append idempotent by
 * event id (the unique constraint on it is the backstop: a duplicate that slipped through would fail the
 * transaction rather than leave a hole in the positions).
 */
@Component
public class AuditTrail {

    /** The {@code pg_advisory_xact_lock} key of the chain; {@code audit.retire_expired_segments()} takes it too. */
    public static final long CHAIN_LOCK = 7301946265000000001L;

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INSERT_RECORD = """
            INSERT INTO audit.record (position, event_id, event_type, source, occurred_at, recorded_at, action,
                                      actor_index, subject_index, details, personal, previous_hash, record_hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final PersonalDataCipher cipher;
    private final CheckpointSigner signer;
    private final CheckpointProperties checkpoints;
    private final Clock clock;

    public AuditTrail(JdbcTemplate jdbc, TransactionTemplate transactions, PersonalDataCipher cipher,
                      CheckpointSigner signer, CheckpointProperties checkpoints, ObjectProvider<Clock> clock,
                      MeterRegistry meters) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.cipher = cipher;
        this.signer = signer;
        this.checkpoints = checkpoints;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        Gauge.builder("audit.chain.length", this, trail -> trail.head().position())
                .description("Position of the last record: records ever appended to the chain").register(meters);
    }

    /** What an append stored, in chain order, and how many of the given events were already there. */
    public record Appended(List<ChainRecord> stored, int duplicates) {
    }

    /** The position and hash the next record links to. */
    public record Head(long position, byte[] recordHash) {
    }

    public Appended append(List<AuditEntry> entries) {
        return transactions.execute(status -> {
            lockChain();
            Map<String, AuditEntry> fresh = new LinkedHashMap<>();
            entries.forEach(entry -> fresh.putIfAbsent(entry.eventId(), entry));
            storedEventIds(fresh.keySet()).forEach(fresh::remove);
            Head head = head();
            Instant recordedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<ChainRecord> records = new ArrayList<>(fresh.size());
            long position = head.position();
            byte[] previousHash = head.recordHash();
            for (AuditEntry entry : fresh.values()) {
                ChainRecord record = seal(entry, ++position, previousHash, recordedAt);
                records.add(record);
                previousHash = record.recordHash();
            }
            insert(records);
            if (!records.isEmpty() && position - lastCheckpointPosition() >= checkpoints.everyRecords()) {
                writeCheckpoint(position, previousHash);
            }
            return new Appended(records, entries.size() - records.size());
        });
    }

    /** Signs the head now unless the last checkpoint already covers it. */
    public Optional<Checkpoint> checkpoint() {
        return transactions.execute(status -> {
            lockChain();
            Head head = head();
            if (head.position() == 0 || head.position() <= lastCheckpointPosition()) {
                return Optional.empty();
            }
            return Optional.of(writeCheckpoint(head.position(), head.recordHash()));
        });
    }

    /**
     * The last record, or a checkpoint beyond it: the retention anchor when no record is left after it, or, should
     * someone have cut the tail, the last checkpoint, so that new records never reuse a position a checkpoint
     * vouches for (the gap stays for verification to report). The genesis when there is neither.
     */
    public Head head() {
        List<Head> candidates = new ArrayList<>(jdbc.query(
                "SELECT position, record_hash FROM audit.record ORDER BY position DESC LIMIT 1",
                (rs, row) -> new Head(rs.getLong(1), rs.getBytes(2))));
        candidates.addAll(jdbc.query("SELECT position, record_hash FROM audit.checkpoint ORDER BY position DESC LIMIT 1",
                (rs, row) -> new Head(rs.getLong(1), rs.getBytes(2))));
        return candidates.stream().max(Comparator.comparingLong(Head::position))
                .orElse(new Head(0, ChainRecord.GENESIS_HASH));
    }

    private ChainRecord seal(AuditEntry entry, long position, byte[] previousHash, Instant recordedAt) {
        byte[] personal = cipher.encrypt(
                new PersonalData(entry.actor(), entry.subject(), entry.clientAddress()).toJson(), entry.eventId());
        return new ChainRecord(position, entry.eventId(), entry.eventType(), entry.source(),
                entry.occurredAt().truncatedTo(ChronoUnit.MICROS), recordedAt, entry.action(),
                entry.actor() == null ? null : cipher.blindIndex(SearchableField.ACTOR, entry.actor()),
                cipher.blindIndex(SearchableField.SUBJECT, entry.subject()),
                JSON.writeValueAsString(entry.details()), personal, previousHash, null).sealed();
    }

    /**
     * Waits for the chain's lock. Transactions run at READ COMMITTED, so every statement after the lock sees all that
     * the previous holder committed: the head read next is the real head.
     */
    private void lockChain() {
        jdbc.query("SELECT pg_advisory_xact_lock(?)", rs -> null, CHAIN_LOCK);
    }

    private Set<String> storedEventIds(Set<String> eventIds) {
        if (eventIds.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbc.query(connection -> {
            PreparedStatement query = connection.prepareStatement(
                    "SELECT event_id FROM audit.record WHERE event_id = ANY (?)");
            query.setArray(1, connection.createArrayOf("text", eventIds.toArray()));
            return query;
        }, (rs, row) -> rs.getString(1)));
    }

    private void insert(List<ChainRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        jdbc.batchUpdate(INSERT_RECORD, new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement insert, int index) throws SQLException {
                ChainRecord record = records.get(index);
                insert.setLong(1, record.position());
                insert.setString(2, record.eventId());
                insert.setString(3, record.eventType());
                insert.setString(4, record.source());
                insert.setObject(5, utc(record.occurredAt()));
                insert.setObject(6, utc(record.recordedAt()));
                insert.setString(7, record.action());
                insert.setBytes(8, record.actorIndex());
                insert.setBytes(9, record.subjectIndex());
                insert.setString(10, record.details());
                insert.setBytes(11, record.personal());
                insert.setBytes(12, record.previousHash());
                insert.setBytes(13, record.recordHash());
            }

            @Override
            public int getBatchSize() {
                return records.size();
            }
        });
    }

    private long lastCheckpointPosition() {
        Long last = jdbc.queryForObject("SELECT max(position) FROM audit.checkpoint", Long.class);
        return last == null ? 0 : last;
    }

    private Checkpoint writeCheckpoint(long position, byte[] recordHash) {
        Checkpoint checkpoint = signer.sign(position, recordHash, clock.instant().truncatedTo(ChronoUnit.MICROS));
        jdbc.update("""
                        INSERT INTO audit.checkpoint (position, record_hash, signed_at, key_id, signature)
                        VALUES (?, ?, ?, ?, ?)""",
                checkpoint.position(), checkpoint.recordHash(), utc(checkpoint.signedAt()), checkpoint.keyId(),
                checkpoint.signature());
        // Logged so that a copy of every checkpoint also lives outside the database, where a truncation cannot reach.
        log.info("Audit checkpoint at position {}: record hash {}, key {}, signature {}", position,
                HexFormat.of().formatHex(recordHash), checkpoint.keyId(), HexFormat.of().formatHex(checkpoint.signature()));
        return checkpoint;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
