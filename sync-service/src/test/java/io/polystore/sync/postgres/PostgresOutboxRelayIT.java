package io.polystore.sync.postgres;

import com.zaxxer.hikari.HikariDataSource;
import io.polystore.events.EventCodec;
import io.polystore.events.CustomerDigest;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.OrderCancelled;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.postgres.internal.OutboxChangeEvents;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import io.polystore.testkit.SharedServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.polystore.sync.support.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SyncServiceTest
class PostgresOutboxRelayIT {

    private static final Duration RELAYED_WITHIN = Duration.ofSeconds(60);
    private static final int CONCURRENT_WRITERS = 4;
    private static final int RESTARTS = 5;

    @Autowired ExclusiveRelayRunner postgresRelayRunner;
    @Autowired SyncProperties properties;
    @Autowired EventCodec codec;
    @Autowired KafkaEventBinding binding;
    @Autowired OutboxPublisher publisher;
    @Autowired RelayMetrics metrics;
    @Autowired MeterRegistry registry;

    private final List<ExclusiveRelayRunner> extraRunners = new ArrayList<>();
    private final DriverManagerDataSource orders = new DriverManagerDataSource(
            SharedServers.postgres().jdbcUrl(SourceStores.ORDERS_DATABASE), SharedServers.postgres().username(),
            SharedServers.postgres().password());

    @AfterEach
    void restoreTheRelay() {
        extraRunners.forEach(ExclusiveRelayRunner::stop);
        postgresRelayRunner.start();
    }

    @Test
    void relaysOutboxRowsWithCloudEventsHeadersKeyedByAggregateInCommitOrder() {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        List<EventEnvelope> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            written.add(write(new OrderCancelled(i % 2 == 0 ? first : second, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(i))));
        }

        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            List<ConsumerRecord<String, byte[]>> relayed = awaitRecords(topic, written.size(),
                    r -> r.key().equals(first.toString()) || r.key().equals(second.toString()));
            for (UUID order : List.of(first, second)) {
                assertThat(relayed.stream().filter(r -> r.key().equals(order.toString())).map(r -> header(r, "ce_id")).toList())
                        .as("events of one order in commit order")
                        .containsExactlyElementsOf(written.stream().filter(e -> e.subject().equals(order.toString())).map(EventEnvelope::id).toList());
            }
            EventEnvelope original = written.getFirst();
            ConsumerRecord<String, byte[]> record = relayed.stream()
                    .filter(r -> original.id().equals(header(r, "ce_id"))).findFirst().orElseThrow();
            assertThat(binding.fromConsumerRecord(record)).isEqualTo(original);
            assertThat(header(record, "ce_type")).isEqualTo("io.polystore.order.OrderCancelled");
            assertThat(header(record, "ce_source")).isEqualTo("/order-service");
            assertThat(header(record, "ce_subject")).isEqualTo(first.toString());
            assertThat(header(record, "ce_time")).isEqualTo(original.time().toString());
            assertThat(header(record, "ce_schemaversion")).isEqualTo("1");
            assertThat(header(record, "content-type")).isEqualTo("application/json");
            assertThat(header(record, "ce_traceparent")).isNull();
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains(first.toString());
        }
        assertThat(registry.get("polystore.sync.cdc.lag").tag("source", "postgres").timer().count()).isPositive();
        assertThat(registry.get("polystore.sync.events.relayed").tag("topic", Topics.ORDERS_EVENTS).counter().count()).isPositive();
        await().atMost(RELAYED_WITHIN).untilAsserted(() ->
                assertThat(registry.get("polystore.sync.postgres.wal.retained").gauge().value()).isNotNaN().isNotNegative());
    }

    @Test
    void relaysAnOrdersHistoryRecordWrittenWithItsEventInOneStatementToTheHistoryTopic() {
        UUID order = UUID.randomUUID();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        OrderHistoryRecorded history = new OrderHistoryRecorded(order, "region-1",
                new CustomerDigest(new byte[32]).of("alice"), 2, "CANCELLED", "by the customer",
                new Money(new BigDecimal("25.00"), "EUR"), List.of(new OrderHistoryRecorded.Line("book", "BK-1", "Book", 2,
                        new BigDecimal("12.50"), new BigDecimal("25.00"))), now, now);
        OutboxWriter writer = new OutboxWriter(JdbcClient.create(orders), codec, "outbox_event", "/order-service", Clock.systemUTC());
        List<EventEnvelope> written = new TransactionTemplate(new DataSourceTransactionManager(orders))
                .execute(status -> writer.writeAll(List.of(new OrderCancelled(order, now), history)));

        try (TopicRecords topic = new TopicRecords(Topics.ORDER_HISTORY)) {
            ConsumerRecord<String, byte[]> record = awaitRecords(topic, 1, r -> r.key().equals(order.toString())).getFirst();
            assertThat(binding.fromConsumerRecord(record)).isEqualTo(written.get(1));
            assertThat(header(record, "ce_type")).isEqualTo("io.polystore.order.OrderHistoryRecorded");
        }
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            assertThat(header(awaitRecords(topic, 1, r -> r.key().equals(order.toString())).getFirst(), "ce_id"))
                    .isEqualTo(written.getFirst().id());
        }
    }

    @Test
    void sendsAMalformedRowToTheDeadLetterTopicAndRelaysTheRowsAfterIt() {
        UUID order = UUID.randomUUID();
        UUID badId = UUID.randomUUID();
        new TransactionTemplate(new DataSourceTransactionManager(orders)).executeWithoutResult(status ->
                JdbcClient.create(orders).sql("""
                                INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, ce_source, ce_time, ce_schemaversion)
                                VALUES (:id, 'orders.events', :key, 'io.polystore.order.OrderVanished', '{"orderId": 1}', '/order-service', now(), 1)
                                """).param("id", badId).param("key", order.toString()).update());
        EventEnvelope later = write(new OrderCancelled(order, Instant.now()));

        try (TopicRecords deadLetters = new TopicRecords(Topics.deadLetter("sync-service"));
             TopicRecords events = new TopicRecords(Topics.ORDERS_EVENTS)) {
            ConsumerRecord<String, byte[]> dead = awaitRecords(deadLetters, 1, r -> badId.toString().equals(header(r, "ce_id"))).getFirst();
            assertThat(dead.key()).isEqualTo(order.toString());
            assertThat(header(dead, "kafka_dlt-exception-message")).contains("io.polystore.order.OrderVanished");
            assertThat(header(dead, "kafka_dlt-original-topic")).isEqualTo(Topics.ORDERS_EVENTS);
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{\"orderId\": 1}");
            assertThat(awaitRecords(events, 1, r -> r.key().equals(order.toString())))
                    .extracting(r -> header(r, "ce_id")).containsExactly(later.id());
        }
    }

    @Test
    void resumesAfterARestartWithoutLosingWhatWasWrittenMeanwhile() {
        UUID order = UUID.randomUUID();
        EventEnvelope before = write(new OrderCancelled(order, Instant.now()));
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            awaitRecords(topic, 1, r -> r.key().equals(order.toString()));

            postgresRelayRunner.stop();
            List<String> meanwhile = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                meanwhile.add(write(new OrderCancelled(order, Instant.now())).id());
            }
            postgresRelayRunner.start();

            List<String> ids = awaitRecords(topic, 6, r -> r.key().equals(order.toString())).stream()
                    .map(r -> header(r, "ce_id")).distinct().toList();
            assertThat(ids).containsExactlyElementsOf(concat(before.id(), meanwhile));
        }
    }

    /**
     * A standby promoted before it held a usable copy of the fail-over slot has no slot, and a new one starts now:
     * the relay publishes the outbox again rather than stop or skip what was committed in between.
     */
    @Test
    void publishesWhatWasWrittenWhileItsSlotWasGone() {
        UUID order = UUID.randomUUID();
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            List<String> written = relayOneThenWriteFiveWithoutTheSlot(order, topic);
            postgresRelayRunner.start();
            written.add(write(new OrderCancelled(order, Instant.now())).id());

            assertThat(relayedIds(topic, order, written.size())).containsExactlyElementsOf(written);
        }
    }

    /** A run that created the slot anew and died before it saved a position leaves a slot ahead of the saved one. */
    @Test
    void publishesWhatWasWrittenBeforeASlotCreatedAfterItsSavedPosition() {
        UUID order = UUID.randomUUID();
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            List<String> written = relayOneThenWriteFiveWithoutTheSlot(order, topic);
            JdbcClient.create(orders).sql("SELECT pg_create_logical_replication_slot(:slot, 'pgoutput', false, false, true)")
                    .param("slot", properties.postgres().slot()).query().listOfRows();
            postgresRelayRunner.start();

            assertThat(relayedIds(topic, order, written.size())).containsExactlyElementsOf(written);
        }
    }

    /**
     * Writes an event of the order and waits until it is relayed, stops the relay, drops its slot (once the relay's
     * replication connection has let go of it) and writes five more; returns the events' ids in the order written.
     */
    private List<String> relayOneThenWriteFiveWithoutTheSlot(UUID order, TopicRecords topic) {
        List<String> written = new ArrayList<>();
        written.add(write(new OrderCancelled(order, Instant.now())).id());
        awaitRecords(topic, 1, r -> r.key().equals(order.toString()));
        postgresRelayRunner.stop();
        await().atMost(RELAYED_WITHIN).ignoreExceptions().untilAsserted(() ->
                JdbcClient.create(orders).sql("SELECT pg_drop_replication_slot(:slot)").param("slot", properties.postgres().slot())
                        .query().listOfRows());
        for (int i = 0; i < 5; i++) {
            written.add(write(new OrderCancelled(order, Instant.now())).id());
        }
        return written;
    }

    private static List<String> relayedIds(TopicRecords topic, UUID order, int atLeast) {
        return awaitRecords(topic, atLeast, r -> r.key().equals(order.toString())).stream()
                .map(r -> header(r, "ce_id")).distinct().toList();
    }

    @Test
    void aStandbyTakesOverWhenTheActiveRelayLosesItsLockSession() {
        await().atMost(RELAYED_WITHIN).until(() -> postgresRelayRunner.state() == ExclusiveRelayRunner.State.ACTIVE);
        ExclusiveRelayRunner standby = new ExclusiveRelayRunner(
                new PostgresOutboxRelay(properties.postgres(), Map.of("bootstrap.servers", SharedServers.kafka().bootstrapServers()),
                        (short) 1, new OutboxChangeEvents(codec), publisher),
                new ExclusiveRelayRunner.LockDatabase(SharedServers.postgres().jdbcUrl("sync"),
                        SharedServers.postgres().username(), SharedServers.postgres().password()),
                Duration.ofMillis(200), Duration.ofMillis(200), metrics);
        extraRunners.add(standby);
        standby.start();
        await().atMost(RELAYED_WITHIN).until(() -> standby.lockSessionPid() != 0);
        assertThat(standby.state()).isEqualTo(ExclusiveRelayRunner.State.STANDBY);

        UUID order = UUID.randomUUID();
        List<String> written = new ArrayList<>();
        written.add(write(new OrderCancelled(order, Instant.now())).id());
        // The active replica's database session dies, as when its process is killed.
        JdbcClient.create(orders).sql("SELECT pg_terminate_backend(:pid)").param("pid", postgresRelayRunner.lockSessionPid())
                .query(Boolean.class).single();
        postgresRelayRunner.stop();
        for (int i = 0; i < 5; i++) {
            written.add(write(new OrderCancelled(order, Instant.now())).id());
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> standby.state() == ExclusiveRelayRunner.State.ACTIVE);
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            List<String> ids = awaitRecords(topic, written.size(), r -> r.key().equals(order.toString())).stream()
                    .map(r -> header(r, "ce_id")).distinct().toList();
            assertThat(ids).containsExactlyElementsOf(written);
        }
    }

    /**
     * Concurrent transactions commit in another order than they wrote their rows, so the WAL positions the relay
     * resumes from are not in commit order. Rows written by several writers while the relay is stopped and started
     * again, in the middle of streaming, must all arrive.
     */
    @Test
    void relaysEveryRowOfConcurrentWritersAcrossRestarts() throws Exception {
        UUID order = UUID.randomUUID();
        Set<String> written = ConcurrentHashMap.newKeySet();
        // Restarts while streaming: the relay takes its first snapshot again when it is restarted during it.
        String first = write(new OrderCancelled(order, Instant.now())).id();
        written.add(first);
        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            awaitRecords(topic, 1, r -> first.equals(header(r, "ce_id")));
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl(SharedServers.postgres().jdbcUrl(SourceStores.ORDERS_DATABASE));
            pool.setUsername(SharedServers.postgres().username());
            pool.setPassword(SharedServers.postgres().password());
            pool.setMaximumPoolSize(CONCURRENT_WRITERS);
            OutboxWriter writer = new OutboxWriter(JdbcClient.create(pool), codec, "outbox_event", "/order-service", Clock.systemUTC());
            TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(pool));
            List<Thread> writers = IntStream.range(0, CONCURRENT_WRITERS).mapToObj(w -> Thread.ofPlatform().start(() -> {
                while (writing.get()) {
                    written.add(transaction.execute(status -> writer.write(new OrderCancelled(order, Instant.now()))).id());
                }
            })).toList();
            try {
                for (int restart = 0; restart < RESTARTS; restart++) {
                    double before = relayed();
                    await().atMost(RELAYED_WITHIN).until(() -> relayed() > before + 100);
                    postgresRelayRunner.stop();
                    postgresRelayRunner.start();
                }
            } finally {
                writing.set(false);
                for (Thread thread : writers) {
                    thread.join();
                }
            }
        }

        try (TopicRecords topic = new TopicRecords(Topics.ORDERS_EVENTS)) {
            await().atMost(RELAYED_WITHIN).untilAsserted(() -> {
                Set<String> relayed = topic.matching(r -> r.key().equals(order.toString())).stream()
                        .map(r -> header(r, "ce_id")).collect(Collectors.toSet());
                assertThat(written.stream().filter(id -> !relayed.contains(id)).toList()).as("written, not relayed").isEmpty();
                assertThat(relayed).hasSameSizeAs(written);
            });
        }
    }

    /**
     * The slot is confirmed through the last row relayed also when no change follows it. A row's own offset confirms
     * only the transaction before it (its commit comes after it in the WAL); Debezium's heartbeats confirm the rest.
     * Without them the federation's answers said the last row was not delivered until another change came.
     */
    @Test
    void confirmsTheSlotThroughTheLastRowWhenNoChangeFollows() {
        write(new OrderCancelled(UUID.randomUUID(), Instant.now()));
        EventEnvelope last = write(new OrderCancelled(UUID.randomUUID(), Instant.now()));
        JdbcClient jdbc = JdbcClient.create(orders);
        String lastRow = jdbc.sql("SELECT wal_lsn::text FROM outbox_event WHERE id = :id")
                .param("id", UUID.fromString(last.id())).query(String.class).single();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.sql("""
                        SELECT confirmed_flush_lsn >= CAST(:row AS pg_lsn) FROM pg_replication_slots
                        WHERE slot_name = :slot""")
                .param("row", lastRow).param("slot", properties.postgres().slot()).query(Boolean.class).single())
                .as("the slot confirmed through %s", lastRow).isTrue());
    }

    private double relayed() {
        return registry.find("polystore.sync.events.relayed").tag("source", "postgres").counters().stream()
                .mapToDouble(counter -> counter.count()).sum();
    }

    private EventEnvelope write(OrderCancelled event) {
        OutboxWriter writer = new OutboxWriter(JdbcClient.create(orders), codec, "outbox_event", "/order-service", Clock.systemUTC());
        return new TransactionTemplate(new DataSourceTransactionManager(orders)).execute(status -> writer.write(event));
    }

    private static List<ConsumerRecord<String, byte[]>> awaitRecords(TopicRecords topic, int atLeast,
                                                                     java.util.function.Predicate<ConsumerRecord<String, byte[]>> filter) {
        return await().atMost(RELAYED_WITHIN).until(() -> topic.matching(filter), records ->
                records.stream().map(r -> header(r, "ce_id")).distinct().count() >= atLeast);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }
}
