package io.polystore.sync.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.StockReleased;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.observability.EventTracing;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.support.CatalogOutbox;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import io.polystore.sync.surreal.ChangeFeedCursors;
import io.polystore.sync.surreal.SurrealOutboxRelay;
import io.polystore.sync.surreal.internal.ChangeFeedEntries;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.platform.PlatformPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.polystore.sync.support.TopicRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka goes away and comes back: a relay of the shared context's stores publishes to a broker of its own (a
 * process that keeps its log), which is stopped while entries are written and started again on the same port.
 */
@SyncServiceTest
class KafkaOutageIT {

    private static final Duration WITHIN = Duration.ofSeconds(120);

    @Autowired EventCodec codec;
    @Autowired KafkaEventBinding binding;
    @Autowired ChangeFeedCursors cursors;

    private final MeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry);
    private KafkaBrokerProcess kafka;
    private KafkaTemplate<String, byte[]> producer;
    private ExclusiveRelayRunner runner;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.stop();
        }
        if (producer != null) {
            producer.getProducerFactory().reset();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void theSurrealDbRelayWaitsForKafkaAndResumesWithNothingLost() throws Exception {
        Path data = Files.createTempDirectory("kafka-outage");
        int port = PlatformPorts.free().kafka(); // its controller listens on the next port, free too
        kafka = KafkaBrokerProcess.start(data, port);
        createTopics(kafka.bootstrapServers());
        producer = new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                // send() waits this long for the metadata of a broker that is gone; bounded like the publish timeout.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)));
        OutboxPublisher publisher = new OutboxPublisher(producer, binding, metrics, Topics.deadLetter("sync-service"),
                Duration.ofSeconds(3), Clock.systemUTC(), EventTracing.NONE);

        try (SurrealClient surreal = SourceStores.surrealOutbox(); SurrealClient reader = SourceStores.surrealOutbox()) {
            CatalogOutbox outbox = new CatalogOutbox(surreal, codec);
            runner = new ExclusiveRelayRunner(new SurrealOutboxRelay(reader, cursors, new ChangeFeedEntries(codec),
                    publisher, new SyncProperties.Surrealdb(true, "surrealdb-kafka-outage", 1000, Duration.ofMillis(10),
                    Duration.ofMillis(200), Duration.ofSeconds(1)), Clock.systemUTC(), registry),
                    new ExclusiveRelayRunner.LockDatabase(SharedServers.postgres().jdbcUrl("sync"),
                            SharedServers.postgres().username(), SharedServers.postgres().password()),
                    Duration.ofMillis(200), Duration.ofMillis(200), metrics);
            runner.start();

            UUID order = UUID.randomUUID();
            List<String> written = new ArrayList<>(ids(outbox.write(List.of(new StockReleased(order, "before")))));
            try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS, kafka.bootstrapServers())) {
                await().atMost(WITHIN).until(() -> relayed(topic, order), ids -> ids.containsAll(written));
            }

            kafka.close();
            for (int i = 0; i < 5; i++) {
                written.addAll(ids(outbox.write(List.of(new StockReleased(order, "meanwhile" + i)))));
            }
            await().atMost(WITHIN).until(() -> runner.state() == ExclusiveRelayRunner.State.FAILING);
            assertThat(new RelayHealthIndicator(runner).health().getStatus().getCode()).isEqualTo("DOWN");

            kafka = KafkaBrokerProcess.start(data, port);
            try (TopicRecords topic = new TopicRecords(Topics.CATALOG_EVENTS, kafka.bootstrapServers())) {
                assertThat(await().atMost(WITHIN).until(() -> relayed(topic, order), ids -> ids.containsAll(written)))
                        .as("every written entry, duplicates allowed, nothing else").containsExactlyInAnyOrderElementsOf(written);
            }
            await().atMost(WITHIN).until(() -> runner.state() == ExclusiveRelayRunner.State.ACTIVE);
            assertThat(registry.get("polystore.sync.relay.errors").tag("source", "surrealdb-kafka-outage").counter().count())
                    .isPositive();
        }
    }

    private static List<String> relayed(TopicRecords topic, UUID order) {
        return topic.matching(r -> r.key().equals(order.toString())).stream().map(r -> header(r, "ce_id")).distinct().toList();
    }

    private static List<String> ids(List<EventEnvelope> envelopes) {
        return envelopes.stream().map(EventEnvelope::id).toList();
    }

    private static void createTopics(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(Topics.CATALOG_EVENTS, 3, (short) 1),
                    new NewTopic(Topics.deadLetter("sync-service"), 3, (short) 1))).all().get();
        }
    }
}
