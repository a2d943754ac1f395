package io.polystore.servicedefaults.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.OrderLine;
import io.polystore.events.OrderPlaced;
import io.polystore.events.ReleaseStock;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(classes = OutboxTestApplication.class, properties = {
        "spring.application.name=outbox-sample", "polystore.outbox.retention=1h",
        "polystore.outbox.cleanup-batch-size=2", "polystore.outbox.replication-slot=outbox_it"})
@UsePostgres(database = "outbox")
@UseKafka
@UseTestTokens
class OutboxIT {

    @Autowired
    OutboxWriter outbox;

    @Autowired
    OutboxCleanup cleanup;

    @Autowired
    OutboxBacklogMetrics backlog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    MeterRegistry meters;

    final EventCodec codec = new EventCodec();

    @BeforeEach
    void emptyOutbox() {
        jdbc.sql(OutboxTable.DEFINITION).update();
        jdbc.sql("DELETE FROM outbox_event").update();
        jdbc.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = 'outbox_it'")
                .query().listOfRows();
    }

    @Test
    void writesTheEnvelopeInTheCallersTransactionAsTheRouterReadsIt() {
        UUID orderId = UUID.randomUUID();
        OrderPlaced placed = new OrderPlaced(orderId, "alice", List.of(new OrderLine("p1", 2)),
                new Money(new BigDecimal("20.00"), "EUR"), Instant.parse("2026-01-02T03:04:05Z"));
        EventEnvelope envelope = transaction.execute(status -> {
            EventEnvelope written = outbox.write(placed);
            outbox.write(EventEnvelope.of(new ReleaseStock(orderId, "cancelled"), "/elsewhere", Clock.systemUTC())
                    .withTraceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
            return written;
        });

        Map<String, Object> row = jdbc.sql("SELECT id, aggregatetype, aggregateid, type, payload::text AS payload,"
                + " ce_source, ce_time, ce_schemaversion, ce_traceparent FROM outbox_event WHERE type = :type")
                .param("type", "io.polystore.order.OrderPlaced").query().singleRow();
        assertThat(row).containsEntry("id", UUID.fromString(envelope.id()))
                .containsEntry("aggregatetype", "orders.events")
                .containsEntry("aggregateid", orderId.toString())
                .containsEntry("ce_source", "/outbox-sample")
                .containsEntry("ce_schemaversion", 1)
                .containsEntry("ce_traceparent", null);
        assertThat(((java.sql.Timestamp) row.get("ce_time")).toInstant()).isEqualTo(envelope.time());
        // The payload reads back as the same event through the Kafka binding's codec, amount scale included.
        Map<String, String> attributes = new HashMap<>(envelope.attributes());
        EventEnvelope relayed = codec.fromBinary(attributes, ((String) row.get("payload")).getBytes(StandardCharsets.UTF_8));
        assertThat(relayed.data()).isEqualTo(placed);

        Map<String, Object> command = jdbc.sql("SELECT aggregatetype, ce_source, ce_traceparent FROM outbox_event"
                + " WHERE type = 'io.polystore.catalog.ReleaseStock'").query().singleRow();
        assertThat(command).containsEntry("aggregatetype", "catalog.commands").containsEntry("ce_source", "/elsewhere")
                .containsEntry("ce_traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }

    @Test
    void writesSeveralEventsInOneStatementInTheirOrder() {
        UUID orderId = UUID.randomUUID();
        List<EventEnvelope> envelopes = transaction.execute(status -> outbox.writeAll(List.of(
                new ReleaseStock(orderId, "first"), new OrderPlaced(orderId, "alice", List.of(new OrderLine("p1", 1)),
                        new Money(new BigDecimal("1.00"), "EUR"), Instant.parse("2026-01-02T03:04:05Z")))));

        List<Map<String, Object>> rows = jdbc.sql("SELECT id, aggregatetype, type, payload::text AS payload"
                + " FROM outbox_event ORDER BY wal_lsn, ce_time").query().listOfRows();
        assertThat(rows).extracting(row -> row.get("id")).containsExactly(UUID.fromString(envelopes.get(0).id()),
                UUID.fromString(envelopes.get(1).id()));
        assertThat(rows).extracting(row -> row.get("aggregatetype")).containsExactly("catalog.commands", "orders.events");
        EventEnvelope relayed = codec.fromBinary(new HashMap<>(envelopes.get(1).attributes()),
                ((String) rows.get(1).get("payload")).getBytes(StandardCharsets.UTF_8));
        assertThat(relayed.data()).isEqualTo(envelopes.get(1).data());
    }

    @Test
    void aRolledBackChangeLeavesNoEvent() {
        transaction.executeWithoutResult(status -> {
            outbox.write(new ReleaseStock(UUID.randomUUID(), "cancelled"));
            status.setRollbackOnly();
        });

        assertThat(rows()).isZero();
    }

    @Test
    void refusesToWriteOutsideATransaction() {
        assertThatThrownBy(() -> outbox.write(new ReleaseStock(UUID.randomUUID(), "cancelled")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
        assertThat(rows()).isZero();
    }

    @Test
    void cleanupDeletesOnlyRowsOlderThanTheRetentionInBatches() {
        for (int i = 0; i < 5; i++) {
            insertAged(Duration.ofHours(2));
        }
        insertAged(Duration.ofMinutes(30));

        assertThat(cleanup.deleteExpired()).isEqualTo(5);
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void backlogCountsTheRowsTheRelaysSlotHasNotConfirmed() {
        insertAged(Duration.ofMinutes(10));
        insertAged(Duration.ofMinutes(5));
        // Without the relay's slot nothing is relayed.
        assertThat(backlog.measure().rows()).isEqualTo(2);
        assertThat(backlog.measure().oldestAgeSeconds()).isBetween(590.0, 700.0);

        // A slot created now has confirmed everything written before it.
        jdbc.sql("SELECT pg_create_logical_replication_slot('outbox_it', 'pgoutput')").query().listOfRows();
        insertAged(Duration.ofMinutes(1));

        OutboxBacklogMetrics.Backlog afterSlot = backlog.measure();
        assertThat(afterSlot.rows()).isEqualTo(1);
        assertThat(afterSlot.oldestAgeSeconds()).isBetween(50.0, 120.0);
        assertThat(meters.get("polystore.outbox.backlog").gauge().value()).isEqualTo(1.0);
        jdbc.sql("SELECT pg_drop_replication_slot('outbox_it')").query().listOfRows();
    }

    private void insertAged(Duration age) {
        transaction.executeWithoutResult(status -> {
            EventEnvelope envelope = outbox.write(new ReleaseStock(UUID.randomUUID(), "test"));
            jdbc.sql("UPDATE outbox_event SET created_at = :createdAt WHERE id = :id")
                    .param("createdAt", OffsetDateTime.now(ZoneOffset.UTC).minus(age))
                    .param("id", UUID.fromString(envelope.id()))
                    .update();
        });
    }

    private long rows() {
        return jdbc.sql("SELECT count(*) FROM outbox_event").query(Long.class).single();
    }
}
