package io.polystore.testkit.kafka;

import io.polystore.testkit.platform.PlatformPorts;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two real brokers, one per region, and MirrorMaker 2 between them as the local regions run it: a record written to
 * {@code catalog.replication} in region-1 arrives in region-2 under {@code region-1.catalog.replication} with its
 * key, value and headers, the topic compacted like its source; a topic not named is not mirrored. Prints the lag.
 */
class MirrorMakerProcessIT {

    private static final String TOPIC = "catalog.replication";
    private static final String MIRRORED = "region-1." + TOPIC;
    private static final int LAG_SAMPLES = 40;

    @TempDir
    static Path data;

    private static KafkaBrokerProcess region1;
    private static KafkaBrokerProcess region2;
    private static MirrorMakerProcess mirrorMaker;

    @BeforeAll
    static void start() throws Exception {
        region1 = KafkaBrokerProcess.start(data.resolve("region-1"), PlatformPorts.free().kafka());
        region2 = KafkaBrokerProcess.start(data.resolve("region-2"), PlatformPorts.free().kafka());
        try (Admin admin = admin(region1)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic("orders.events", 3, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        long begin = System.nanoTime();
        mirrorMaker = MirrorMakerProcess.start(data.resolve("mirror-maker"), new MirrorMakerProcess.Options(
                new LinkedHashMap<>(Map.of("region-1", region1.bootstrapServers(), "region-2", region2.bootstrapServers())),
                List.of(new MirrorMakerProcess.Flow("region-1", "region-2", List.of(TOPIC))), 1));
        System.out.printf("[mirror-maker] records flowing %.1f s after the start%n", (System.nanoTime() - begin) / 1e9);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {mirrorMaker, region2, region1}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                System.err.println("Stopping " + part + " failed: " + e.getMessage());
            }
        }
    }

    @Test
    void aRecordArrivesInTheOtherRegionUnderThePrefixedNameWithItsKeyValueAndHeadersAndTheLagIsPrinted() throws Exception {
        List<Long> lagsMillis = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(region1);
             KafkaConsumer<String, String> consumer = consumer(region2)) {
            consumer.subscribe(List.of(MIRRORED));
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, "product-1", "{\"name\":\"Kettle\"}");
            record.headers().add(new RecordHeader("ce_type", "ProductReplicated".getBytes(StandardCharsets.UTF_8)));
            record.headers().add(new RecordHeader("ce_source", "region-1".getBytes(StandardCharsets.UTF_8)));
            producer.send(record).get(30, TimeUnit.SECONDS);

            ConsumerRecord<String, String> mirrored = awaitRecords(consumer, 1, Duration.ofSeconds(90)).getFirst();
            assertThat(mirrored.key()).isEqualTo("product-1");
            assertThat(mirrored.value()).isEqualTo("{\"name\":\"Kettle\"}");
            Map<String, String> headers = new HashMap<>();
            mirrored.headers().forEach(header -> headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8)));
            assertThat(headers).containsEntry("ce_type", "ProductReplicated").containsEntry("ce_source", "region-1");

            // One record at a time, each sent once the one before has arrived: the lag of a quiet catalog.
            for (int i = 0; i < LAG_SAMPLES; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(TOPIC, "product-lag-" + i, "sample " + i)).get(30, TimeUnit.SECONDS);
                assertThat(awaitRecords(consumer, 1, Duration.ofSeconds(30)).getFirst().key()).isEqualTo("product-lag-" + i);
                lagsMillis.add((System.nanoTime() - sent) / 1_000_000);
            }
        }
        List<Long> sorted = lagsMillis.stream().sorted().toList();
        System.out.printf("[mirror-maker] lag region-1 -> region-2 over %d records, one at a time: p50 %d ms, p99 %d ms,"
                        + " max %d ms%n", sorted.size(), sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), sorted.getLast());

        try (Admin admin = admin(region2)) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).contains(MIRRORED).doesNotContain("region-1.orders.events", "orders.events");
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, MIRRORED);
            String cleanup = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
                    .get(resource).get("cleanup.policy").value();
            assertThat(cleanup).isEqualTo("compact");
            assertThat(admin.describeTopics(List.of(MIRRORED)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(MIRRORED).partitions()).hasSize(3);
        }
    }

    @Test
    void mirrorMakerThatCannotReachItsClustersFailsNamingItsLogAndLeavesNothingRunning() {
        Path directory = data.resolve("unreachable");
        int nobody = PlatformPorts.freePort();
        MirrorMakerProcess.Options options = new MirrorMakerProcess.Options(
                new LinkedHashMap<>(Map.of("a", "127.0.0.1:" + nobody, "b", region2.bootstrapServers())),
                List.of(new MirrorMakerProcess.Flow("a", "b", List.of(TOPIC))), 1);
        long before = ProcessHandle.current().children().count();

        assertThatThrownBy(() -> MirrorMakerProcess.start(directory, options, Duration.ofSeconds(20)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(directory.resolve("mirror-maker.log").toString());
        assertThat(ProcessHandle.current().children().count()).isEqualTo(before);
    }

    private static List<ConsumerRecord<String, String>> awaitRecords(KafkaConsumer<String, String> consumer, int count,
                                                                      Duration timeout) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count) {
            assertThat(System.nanoTime()).as("%d record(s) mirrored within %s", count, timeout).isLessThan(deadline);
            consumer.poll(Duration.ofMillis(20)).forEach(records::add);
        }
        return records;
    }

    private static Admin admin(KafkaBrokerProcess broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static KafkaProducer<String, String> producer(KafkaBrokerProcess broker) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class));
    }

    private static KafkaConsumer<String, String> consumer(KafkaBrokerProcess broker) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "mirror-it", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                // The mirrored topic may not exist yet when the consumer subscribes: it looks again every second.
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }
}
