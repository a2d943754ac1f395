package io.polystore.audit.query;

import io.polystore.audit.chain.ChainRecord;
import io.polystore.audit.chain.ChainRows;
import io.polystore.audit.chain.PersonalData;
import io.polystore.audit.crypto.PersonalDataCipher;
import io.polystore.audit.crypto.PersonalDataCipher.SearchableField;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Searches and streams records, and turns them into what auditors read. Actor and subject are searched through
 * their blind indexes under every key of the index keyset, so nothing is decrypted to search.
 */
@Component
public class AuditRecordReader {

    private static final int EXPORT_FETCH_SIZE = 1_000;
    private static final HexFormat HEX = HexFormat.of();

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final PersonalDataCipher cipher;
    private final JsonMapper json;

    public AuditRecordReader(DataSource dataSource, PlatformTransactionManager transactionManager,
                             PersonalDataCipher cipher, JsonMapper json) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(EXPORT_FETCH_SIZE);
        this.readOnly = new TransactionTemplate(transactionManager);
        this.readOnly.setReadOnly(true);
        this.cipher = cipher;
        this.json = json;
    }

    /** What to search for; every criterion is optional, and all given ones must match. */
    public record Criteria(String actor, String subject, String action, Instant from, Instant to) {
    }

    /** Up to {@code limit} records after position {@code after} that match, oldest first. */
    public List<ChainRecord> search(Criteria criteria, long after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + ChainRows.RECORD_COLUMNS
                + " FROM audit.record WHERE position > ?");
        List<Object> arguments = new ArrayList<>(List.of(after));
        if (criteria.actor() != null) {
            sql.append(" AND actor_index = ANY (?)");
            arguments.add(cipher.blindIndexes(SearchableField.ACTOR, criteria.actor()).toArray(byte[][]::new));
        }
        if (criteria.subject() != null) {
            sql.append(" AND subject_index = ANY (?)");
            arguments.add(cipher.blindIndexes(SearchableField.SUBJECT, criteria.subject()).toArray(byte[][]::new));
        }
        if (criteria.action() != null) {
            sql.append(" AND action = ?");
            arguments.add(criteria.action());
        }
        appendTimeRange(sql, arguments, criteria.from(), criteria.to());
        sql.append(" ORDER BY position LIMIT ?");
        arguments.add(limit);
        return jdbc.query(connection -> bind(connection, sql.toString(), arguments),
                (row, index) -> ChainRows.record(row));
    }

    /** Up to {@code limit} records after position {@code after} in which {@code person} acted or is the subject. */
    public List<ChainRecord> about(String person, long after, int limit) {
        String sql = "SELECT " + ChainRows.RECORD_COLUMNS + " FROM audit.record WHERE position > ?"
                + " AND (actor_index = ANY (?) OR subject_index = ANY (?)) ORDER BY position LIMIT ?";
        List<Object> arguments = List.of(after,
                cipher.blindIndexes(SearchableField.ACTOR, person).toArray(byte[][]::new),
                cipher.blindIndexes(SearchableField.SUBJECT, person).toArray(byte[][]::new), limit);
        return jdbc.query(connection -> bind(connection, sql, arguments), (row, index) -> ChainRows.record(row));
    }

    /** Every record that happened in [from, to), in chain order, handed to {@code sink} one at a time. */
    public void stream(Instant from, Instant to, Consumer<ChainRecord> sink) {
        StringBuilder sql = new StringBuilder("SELECT " + ChainRows.RECORD_COLUMNS + " FROM audit.record WHERE true");
        List<Object> arguments = new ArrayList<>();
        appendTimeRange(sql, arguments, from, to);
        sql.append(" ORDER BY position");
        // A cursor streams only inside a transaction; without one the driver would fetch every row at once.
        readOnly.executeWithoutResult(status -> streaming.query(
                connection -> bind(connection, sql.toString(), arguments),
                (RowCallbackHandler) row -> sink.accept(ChainRows.record(row))));
    }

    /** The record as auditors read it; with {@code withStoredForm}, also as stored, for offline verification. */
    public AuditRecordView view(ChainRecord record, boolean withStoredForm) {
        PersonalData personal;
        try {
            personal = PersonalData.fromJson(cipher.decrypt(record.personal(), record.eventId()));
        } catch (GeneralSecurityException | RuntimeException e) {
            personal = null;
        }
        return new AuditRecordView(record.position(), record.eventId(), record.eventType(), record.source(),
                record.occurredAt(), record.recordedAt(), record.action(),
                personal == null ? null : personal.actor(), personal == null ? null : personal.subject(),
                personal == null ? null : personal.clientAddress(), json.readTree(record.details()), personal != null,
                HEX.formatHex(record.previousHash()), HEX.formatHex(record.recordHash()),
                withStoredForm ? new AuditRecordView.Stored(
                        record.actorIndex() == null ? null : HEX.formatHex(record.actorIndex()),
                        HEX.formatHex(record.subjectIndex()), record.details(),
                        Base64.getEncoder().encodeToString(record.personal())) : null);
    }

    private static void appendTimeRange(StringBuilder sql, List<Object> arguments, Instant from, Instant to) {
        if (from != null) {
            sql.append(" AND occurred_at >= ?");
            arguments.add(from.atOffset(ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" AND occurred_at < ?");
            arguments.add(to.atOffset(ZoneOffset.UTC));
        }
    }

    private static PreparedStatement bind(Connection connection, String sql, List<Object> arguments) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < arguments.size(); i++) {
            Object argument = arguments.get(i);
            if (argument instanceof byte[][] indexes) {
                statement.setArray(i + 1, connection.createArrayOf("bytea", indexes));
            } else {
                statement.setObject(i + 1, argument);
            }
        }
        return statement;
    }
}
