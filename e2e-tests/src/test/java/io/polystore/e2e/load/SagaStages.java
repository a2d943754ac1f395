package io.polystore.e2e.load;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Each order's way through the saga, read after a run so that measuring adds no load: the order's own times from
 * order-service's database (placed, and when it became terminal), and from the Kafka topics when each hop's event
 * arrived there (the record's time, stamped by the relay's producer) and when its writer wrote it ({@code ce_time}),
 * and from catalog-service's SurrealDB when a confirmed order's reserved units became sold. All clocks are this
 * machine's.
 */
public final class SagaStages implements AutoCloseable {

    static final Set<String> TERMINAL = Set.of("CONFIRMED", "REJECTED", "CANCELLED");

    private final Connection orders;
    private final String kafkaBootstrap;
    private final SurrealClient catalog;

    /**
     * @param placed         order committed (order-service)
     * @param commandRelayed ReserveStock on {@code catalog.commands} (the PostgreSQL relay)
     * @param reserved       reservation (or rejection) committed (catalog-service's {@code ce_time})
     * @param replyRelayed   the reply on {@code catalog.events} (the SurrealDB relay)
     * @param terminal       the order CONFIRMED or REJECTED (order-service); null while not terminal
     * @param sold           a confirmed order's reservation CONFIRMED, its units sold (catalog-service, on
     *                       {@code OrderConfirmed}); null otherwise
     */
    public record Stages(UUID orderId, String status, Instant placed, Instant commandRelayed, Instant reserved,
                         Instant replyRelayed, Instant terminal, Instant sold) {
    }

    /** A confirmed reservation as read from SurrealDB. */
    record SoldRow(String orderId, Instant updatedAt) {
    }

    public SagaStages(int postgresPort, int kafkaPort, int surrealDbPort) {
        try {
            this.orders = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/orders",
                    "postgres", "postgres");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read order-service's database", e);
        }
        this.kafkaBootstrap = "127.0.0.1:" + kafkaPort;
        this.catalog = new SurrealClient(new HttpRpcTransport(HttpRpcSettings.of(URI.create("http://127.0.0.1:" + surrealDbPort),
                "polystore", "catalog", "root", "root"), new SimpleMeterRegistry()));
    }

    /** How many of these orders are not terminal yet. */
    public int notTerminal(Collection<UUID> orderIds) {
        try (PreparedStatement select = orders.prepareStatement(
                "SELECT count(*) FROM customer_order WHERE id = ANY(?) AND status NOT IN ('CONFIRMED', 'REJECTED', 'CANCELLED')")) {
            Array ids = orders.createArrayOf("uuid", orderIds.toArray());
            select.setArray(1, ids);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot count the orders not yet terminal", e);
        }
    }

    /** The stages of these orders, placed at {@code since} or later. */
    public List<Stages> of(Collection<UUID> orderIds, Instant since) {
        Map<UUID, Instant> commandRelayed = new HashMap<>();
        Map<UUID, Instant> reserved = new HashMap<>();
        Map<UUID, Instant> replyRelayed = new HashMap<>();
        readTopic("catalog.commands", since, (record, type) -> {
            if (type.endsWith("ReserveStock")) {
                commandRelayed.putIfAbsent(UUID.fromString(record.key()), Instant.ofEpochMilli(record.timestamp()));
            }
        });
        readTopic("catalog.events", since, (record, type) -> {
            if (type.endsWith("StockReserved") || type.endsWith("StockRejected")) {
                UUID order = UUID.fromString(record.key());
                if (replyRelayed.putIfAbsent(order, Instant.ofEpochMilli(record.timestamp())) == null) {
                    reserved.put(order, OffsetDateTime.parse(header(record, "ce_time")).toInstant());
                }
            }
        });
        Map<UUID, Instant> sold = new HashMap<>();
        catalog.query("SELECT order_id, updated_at FROM reservation WHERE status = 'CONFIRMED' AND updated_at >= $since;",
                        Map.of("since", since))
                .rows(0, SoldRow.class).forEach(row -> sold.put(UUID.fromString(row.orderId()), row.updatedAt()));
        try (PreparedStatement select = orders.prepareStatement(
                "SELECT id, status, placed_at, updated_at FROM customer_order WHERE placed_at >= ? AND id = ANY(?)")) {
            select.setObject(1, OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC));
            select.setArray(2, orders.createArrayOf("uuid", orderIds.toArray()));
            List<Stages> stages = new java.util.ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    String status = rows.getString("status");
                    stages.add(new Stages(id, status, rows.getObject("placed_at", OffsetDateTime.class).toInstant(),
                            commandRelayed.get(id), reserved.get(id), replyRelayed.get(id),
                            TERMINAL.contains(status) ? rows.getObject("updated_at", OffsetDateTime.class).toInstant() : null,
                            sold.get(id)));
                }
            }
            return stages;
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the orders' times", e);
        }
    }

    /** Every record of the topic from {@code since} on, to the end as it is now. */
    private void readTopic(String topic, Instant since, BiConsumer<ConsumerRecord<String, byte[]>, String> each) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // Records before the run are skipped by time: the offsets of `since`, or the end where none is newer.
            Map<TopicPartition, Long> timestamps = new HashMap<>();
            partitions.forEach(partition -> timestamps.put(partition, since.toEpochMilli()));
            consumer.offsetsForTimes(timestamps).forEach((partition, offset) ->
                    consumer.seek(partition, offset == null ? end.get(partition) : offset.offset()));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    each.accept(record, header(record, "ce_type"));
                }
            }
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        catalog.close();
        try {
            orders.close();
        } catch (SQLException ignored) {
            // Closing a read-only connection at the end: nothing to lose.
        }
    }
}
