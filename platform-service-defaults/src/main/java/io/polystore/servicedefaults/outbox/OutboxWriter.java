package io.polystore.servicedefaults.outbox;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import io.polystore.events.PolystoreEvent;
import io.polystore.servicedefaults.observability.EventTracing;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes events to the service's transactional outbox, in the caller's transaction, so that an event exists
 * exactly when the state change it reports was committed. Nothing is published from here: sync-service reads
 * the inserted rows from the PostgreSQL WAL (Debezium's outbox event router) and publishes them to Kafka.
 *
 * <p>Each service creates the table in its own migration ({@link OutboxTable} holds its definition); the columns
 * suit the outbox event router:
 * <pre>
 * id               uuid PRIMARY KEY            CloudEvents id (header ce_id)
 * aggregatetype    text NOT NULL               the Kafka topic ({@code route.by.field})
 * aggregateid      text NOT NULL               the Kafka key and CloudEvents subject (header ce_subject)
 * type             text NOT NULL               CloudEvents type (header ce_type)
 * payload          jsonb NOT NULL              the event data, the record value
 * ce_source        text NOT NULL               headers ce_source, ce_time, ce_schemaversion, ce_traceparent
 * ce_time          timestamptz NOT NULL
 * ce_schemaversion integer NOT NULL
 * ce_traceparent   text
 * created_at       timestamptz NOT NULL DEFAULT now()                     for the retention clean-up
 * wal_lsn          pg_lsn NOT NULL DEFAULT pg_current_wal_insert_lsn()    for the relay backlog metric
 * </pre>
 */
public class OutboxWriter {

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final String source;
    private final Clock clock;
    private final EventTracing tracing;
    private final String insert;

    /** A writer that stamps no trace context. */
    public OutboxWriter(JdbcClient jdbc, EventCodec codec, String table, String source, Clock clock) {
        this(jdbc, codec, table, source, clock, EventTracing.NONE);
    }

    /** @param tracing gives each event written the {@code traceparent} of the span it is written in */
    public OutboxWriter(JdbcClient jdbc, EventCodec codec, String table, String source, Clock clock, EventTracing tracing) {
        if (!table.matches(OutboxProperties.IDENTIFIER)) {
            throw new IllegalArgumentException("outbox table must be a plain SQL identifier, was '" + table + "'");
        }
        this.jdbc = jdbc;
        this.codec = codec;
        this.source = source;
        // PostgreSQL keeps microseconds: the envelope handed back is then the one that gets relayed.
        this.clock = Clock.tick(clock, Duration.ofNanos(1_000));
        this.tracing = tracing;
        this.insert = "INSERT INTO " + table + " (id, aggregatetype, aggregateid, type, payload, ce_source, ce_time,"
                + " ce_schemaversion, ce_traceparent) VALUES ";
    }

    /**
     * Writes the event with a fresh id, this service as source, the current time and the current span's
     * {@code traceparent} (none outside a span); returns its envelope.
     */
    public EventEnvelope write(PolystoreEvent event) {
        EventEnvelope envelope = EventEnvelope.of(event, source, clock).withTraceparent(tracing.currentTraceparent());
        write(envelope);
        return envelope;
    }

    /**
     * Writes several events as {@link #write(PolystoreEvent)} does, in one statement: one round trip to the database
     * for all of them. Returns their envelopes in the same order.
     */
    public List<EventEnvelope> writeAll(List<? extends PolystoreEvent> events) {
        List<EventEnvelope> envelopes = events.stream()
                .map(event -> EventEnvelope.of(event, source, clock).withTraceparent(tracing.currentTraceparent()))
                .toList();
        insert(envelopes);
        return envelopes;
    }

    /**
     * Writes an envelope whose id is a UUID.
     *
     * @throws IllegalStateException when no transaction is active: a row written on its own could report a change
     *                               that was never committed, or miss one that was
     */
    public void write(EventEnvelope envelope) {
        insert(List.of(envelope));
    }

    private void insert(List<EventEnvelope> envelopes) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("The outbox is written only inside the transaction of the change it reports");
        }
        if (envelopes.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder(insert);
        List<Object> values = new ArrayList<>(envelopes.size() * 9);
        for (EventEnvelope envelope : envelopes) {
            sql.append(values.isEmpty() ? "" : ", ").append("(?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?)");
            values.add(UUID.fromString(envelope.id()));
            values.add(EventTypes.of(envelope.data().getClass()).topic());
            values.add(envelope.subject());
            values.add(envelope.type());
            values.add(new String(codec.toDataJson(envelope.data()), StandardCharsets.UTF_8));
            values.add(envelope.source().toString());
            values.add(OffsetDateTime.ofInstant(envelope.time(), ZoneOffset.UTC));
            values.add(envelope.schemaversion());
            values.add(envelope.traceparent());
        }
        jdbc.sql(sql.toString()).params(values).update();
    }
}
