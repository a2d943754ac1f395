package io.polystore.sync.surreal;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.StockReleased;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import io.polystore.sync.support.CatalogOutbox;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;
import io.polystore.testkit.SharedServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.polystore.sync.support.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SyncServiceTest
class SurrealOutboxRelayIT {

    private static final Duration RELAYED_WITHIN = Duration.ofSeconds(60);
    private static final int CONCURRENT_WRITERS = 8;
    private static final int CONCURRENTLY_WRITTEN = 5_000;

    @Autowired ExclusiveRelayRunner surrealRelayRunner;
    @Autowired ChangeFeedCursors cursors;
    @Autowired EventCodec codec;
    @Autowired KafkaEventBinding binding;
    @Autowired OutboxPublisher publisher;
    @Autowired RelayMetrics metrics;
    @Autowired SyncProperties properties;
    @Autowired MeterRegistry registry;

    @AfterEach
    void restoreTheRelay() {
        surrealRelayRunner.start();
    }

    @Test
    void relaysCatalogOutboxEntriesInBinaryModeInCommitOrder() {
        UUID order = UUID.randomUUID();
        List<EventEnvelope> written = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            written.addAll(writeInOneTransaction(List.of(new StockReleased(order, "r" + i + "a"), new StockReleased(order, "r" + i + "b"))));
        }

        try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS)) {
            List<ConsumerRecord<String, byte[]>> relayed = awaitRecords(topic, written.size(), r -> r.key().equals(order.toString()));
            assertThat(relayed).extracting(r -> header(r, "ce_id")).containsExactlyElementsOf(written.stream().map(EventEnvelope::id).toList());
            assertThat(relayed).extracting(binding::fromConsumerRecord).containsExactlyElementsOf(written);
            assertThat(header(relayed.getFirst(), "ce_type")).isEqualTo("io.polystore.catalog.StockReleased");
            assertThat(header(relayed.getFirst(), "content-type")).isEqualTo("application/json");
        }
        await().atMost(RELAYED_WITHIN).until(() -> cursors.next("surrealdb").orElse(0) > 0);
    }

    @Test
    void sendsAnUnreadableEntryToTheDeadLetterTopicAndRelaysTheEntriesAfterIt() {
        UUID order = UUID.randomUUID();
        String badId = UUID.randomUUID().toString();
        try (SurrealClient surreal = SourceStores.surrealOutbox()) {
            surreal.query("CREATE type::record('outbox', $id) CONTENT $row", Map.of("id", badId, "row", Map.of(
                    "type", "io.polystore.catalog.StockReleased", "schema_version", 1, "topic", Topics.CATALOG_EVENTS,
                    "key", order.toString(), "occurred_at", java.time.Instant.now(), "payload", "{not json"))).requireSuccess();
        }
        EventEnvelope later = writeInOneTransaction(List.of(new StockReleased(order, "after"))).getFirst();

        try (TopicRecords deadLetters = new TopicRecords(Topics.deadLetter("sync-service"));
             TopicRecords events = new TopicRecords(Topics.CATALOG_EVENTS)) {
            ConsumerRecord<String, byte[]> dead = awaitRecords(deadLetters, 1, r -> badId.equals(header(r, "ce_id"))).getFirst();
            assertThat(dead.key()).isEqualTo(order.toString());
            assertThat(header(dead, "kafka_dlt-exception-message")).contains("JSON");
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(awaitRecords(events, 1, r -> r.key().equals(order.toString())))
                    .extracting(r -> header(r, "ce_id")).containsExactly(later.id());
        }
    }

    @Test
    void resumesFromItsCursorAfterARestartWithoutLosingEntries() {
        UUID order = UUID.randomUUID();
        try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS)) {
            String first = writeInOneTransaction(List.of(new StockReleased(order, "before"))).getFirst().id();
            awaitRecords(topic, 1, r -> r.key().equals(order.toString()));

            surrealRelayRunner.stop();
            List<String> expected = new ArrayList<>(List.of(first));
            for (int i = 0; i < 4; i++) {
                expected.add(writeInOneTransaction(List.of(new StockReleased(order, "meanwhile" + i))).getFirst().id());
            }
            surrealRelayRunner.start();

            // In order; a restart may publish again what it had published but not yet noted (duplicates).
            assertThat(awaitRecords(topic, expected.size(), r -> r.key().equals(order.toString())).stream()
                    .map(r -> header(r, "ce_id")).distinct().toList())
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aStandbyTakesOverWhenTheActiveRelayLosesItsLockSession() {
        await().atMost(RELAYED_WITHIN).until(() -> surrealRelayRunner.state() == ExclusiveRelayRunner.State.ACTIVE);
        try (SurrealClient standbyClient = SourceStores.surrealOutbox()) {
            ExclusiveRelayRunner standby = relayRunner(standbyClient, properties.surrealdb());
            try {
                standby.start();
                await().atMost(RELAYED_WITHIN).until(() -> standby.lockSessionPid() != 0);
                assertThat(standby.state()).isEqualTo(ExclusiveRelayRunner.State.STANDBY);

                UUID order = UUID.randomUUID();
                List<String> written = new ArrayList<>();
                written.add(writeInOneTransaction(List.of(new StockReleased(order, "before"))).getFirst().id());
                // The active replica's database session dies, as when its process is killed.
                SourceStores.orders().sql("SELECT pg_terminate_backend(:pid)").param("pid", surrealRelayRunner.lockSessionPid())
                        .query(Boolean.class).single();
                surrealRelayRunner.stop();
                for (int i = 0; i < 5; i++) {
                    written.add(writeInOneTransaction(List.of(new StockReleased(order, "meanwhile" + i))).getFirst().id());
                }

                await().atMost(Duration.ofSeconds(30)).until(() -> standby.state() == ExclusiveRelayRunner.State.ACTIVE);
                try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS)) {
                    assertThat(awaitRecords(topic, written.size(), r -> r.key().equals(order.toString())).stream()
                            .map(r -> header(r, "ce_id")).distinct().toList())
                            .containsExactlyElementsOf(written);
                }
            } finally {
                standby.stop();
            }
        }
    }

    /**
     * The rows a relay published leave the table, and its cursor moves, for many pages at once (every
     * {@code late-entry-delay}, an hour here) rather than after each page; stopping does both, so that the next start
     * publishes nothing again.
     */
    @Test
    void deletesWhatItRelayedAndSavesItsCursorInBulkAndWhenItStops() {
        surrealRelayRunner.stop();
        SyncProperties.Surrealdb settings = properties.surrealdb();
        SurrealClient relayClient = SourceStores.surrealOutbox();
        ExclusiveRelayRunner relay = relayRunner(relayClient, new SyncProperties.Surrealdb(true, settings.source(),
                settings.batchSize(), settings.busyPollInterval(), settings.idlePollInterval(), Duration.ofHours(1)));
        UUID order = UUID.randomUUID();
        try (relayClient; TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS);
             SurrealClient surreal = SourceStores.surrealOutbox()) {
            relay.start();
            await().atMost(RELAYED_WITHIN).until(() -> relay.state() == ExclusiveRelayRunner.State.ACTIVE);
            long cursorBefore = cursors.next(settings.source()).orElse(0);
            List<String> written = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                written.add(writeInOneTransaction(List.of(new StockReleased(order, "bulk" + i))).getFirst().id());
                awaitRecords(topic, i + 1, r -> r.key().equals(order.toString()));
            }
            assertThat(outboxRows(surreal, written)).as("published, not deleted yet").hasSize(3);
            assertThat(cursors.next(settings.source()).orElse(0)).isEqualTo(cursorBefore);
            long relayedUpTo = newestVersionstamp(surreal);

            relay.stop();
            assertThat(outboxRows(surreal, written)).isEmpty();
            assertThat(cursors.next(settings.source()).orElse(0)).isGreaterThan(relayedUpTo);
        } finally {
            relay.stop();
        }
    }

    /**
     * A transaction that became visible only after the relay had read the feed past its versionstamp: made here by
     * moving the saved cursor past the row's versionstamp while the relay is stopped, which is where such a row is as
     * the relay sees it. The row is still in the outbox table, so the relay relays it from there, and deletes it.
     */
    @Test
    void relaysFromTheTableARowTheChangeFeedShowedOnlyAfterTheRelayHadReadPastIt() {
        UUID order = UUID.randomUUID();
        try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS);
             SurrealClient surreal = SourceStores.surrealOutbox()) {
            surrealRelayRunner.stop();
            String late = writeInOneTransaction(List.of(new StockReleased(order, "late"))).getFirst().id();
            cursors.save("surrealdb", newestVersionstamp(surreal) + 1);
            double lateBefore = lateEntries();
            surrealRelayRunner.start();

            assertThat(awaitRecords(topic, 1, r -> r.key().equals(order.toString())))
                    .extracting(r -> header(r, "ce_id")).containsExactly(late);
            // Counted once the row is published and deleted, which can be a moment after a consumer has it.
            await().atMost(RELAYED_WITHIN).untilAsserted(() -> {
                assertThat(surreal.query("SELECT VALUE id FROM type::record('outbox', $id)", Map.of("id", late)).rows(0))
                        .isEmpty();
                assertThat(lateEntries()).isEqualTo(lateBefore + 1);
            });
        }
    }

    /**
     * Concurrent transactions can appear in the change feed out of versionstamp order; one that appears after the
     * relay read past its versionstamp must still be relayed. Many small transactions from several writers at once
     * make that happen now and then (about once in 5,000 here when the relay read the feed alone).
     */
    @Test
    void relaysEveryEntryOfConcurrentWriters() throws Exception {
        UUID order = UUID.randomUUID();
        Set<String> written = ConcurrentHashMap.newKeySet();
        try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS);
             SurrealClient surreal = SourceStores.surrealOutbox()) {
            CatalogOutbox outbox = new CatalogOutbox(surreal, codec);
            AtomicInteger next = new AtomicInteger();
            List<Thread> writers = IntStream.range(0, CONCURRENT_WRITERS).mapToObj(w -> Thread.ofPlatform().start(() -> {
                for (int i = next.getAndIncrement(); i < CONCURRENTLY_WRITTEN; i = next.getAndIncrement()) {
                    written.add(outbox.write(List.of(new StockReleased(order, "r" + i))).getFirst().id());
                }
            })).toList();
            for (Thread writer : writers) {
                writer.join();
            }
            assertThat(written).hasSize(CONCURRENTLY_WRITTEN);

            await().atMost(RELAYED_WITHIN).untilAsserted(() -> {
                Set<String> relayed = topic.matching(r -> r.key().equals(order.toString())).stream()
                        .map(r -> header(r, "ce_id")).collect(Collectors.toSet());
                assertThat(written.stream().filter(id -> !relayed.contains(id)).toList()).as("written, not relayed").isEmpty();
                assertThat(relayed).hasSameSizeAs(written);
            });
        }
    }

    private static long newestVersionstamp(SurrealClient surreal) {
        long newest = 0;
        for (long since = 0; ; ) {
            List<?> page = (List<?>) surreal.query("SHOW CHANGES FOR TABLE outbox SINCE " + since + " LIMIT 1000").result(0);
            if (page.isEmpty()) {
                return newest;
            }
            newest = ((Number) ((Map<?, ?>) page.getLast()).get("versionstamp")).longValue();
            since = newest + 1;
        }
    }

    /** A second relay on the same source, locking as the service's own does. */
    private ExclusiveRelayRunner relayRunner(SurrealClient client, SyncProperties.Surrealdb settings) {
        return new ExclusiveRelayRunner(
                new SurrealOutboxRelay(client, cursors, new ChangeFeedEntries(codec), publisher, settings,
                        Clock.systemUTC(), new SimpleMeterRegistry()),
                new ExclusiveRelayRunner.LockDatabase(SharedServers.postgres().jdbcUrl("sync"),
                        SharedServers.postgres().username(), SharedServers.postgres().password()),
                Duration.ofMillis(200), Duration.ofMillis(200), metrics);
    }

    private static List<?> outboxRows(SurrealClient surreal, List<String> ids) {
        return surreal.query("SELECT id FROM outbox WHERE record::id(id) IN $ids", Map.of("ids", ids)).rows(0);
    }

    private double lateEntries() {
        return registry.counter("polystore.sync.changefeed.late.entries", "source", "surrealdb").count();
    }

    /** Writes the events as catalog-service's SurrealOutboxWriter does, in one transaction. */
    private List<EventEnvelope> writeInOneTransaction(List<StockReleased> events) {
        try (SurrealClient surreal = SourceStores.surrealOutbox()) {
            return new CatalogOutbox(surreal, codec).write(events);
        }
    }

    private static List<ConsumerRecord<String, byte[]>> awaitRecords(TopicRecords topic, int atLeast,
                                                                     Predicate<ConsumerRecord<String, byte[]>> filter) {
        return await().atMost(RELAYED_WITHIN).until(() -> topic.matching(filter),
                records -> records.stream().map(r -> header(r, "ce_id")).distinct().count() >= atLeast);
    }
}
