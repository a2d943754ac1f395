package io.polystore.testkit.platform;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Waits until a region that joined has applied the catalog as the catalog region holds it now: for each partition of
 * the catalog region's {@code catalog.replication}, its last record (by its CloudEvents id, {@code ce_id}) is found in
 * the joined region's mirror, {@code <catalog region>.catalog.replication} (MirrorMaker keeps partitions and headers),
 * and the joined region's catalog-service has committed an offset past it. Records are compared by id, not offset:
 * a mirror's offsets need not be its source's (transaction markers, compaction).
 */
final class CatalogCaughtUp {

    private static final String EVENT_ID_HEADER = "ce_id";

    private CatalogCaughtUp() {
    }

    static void await(String catalogRegionKafka, String joinedKafka, String catalogRegion, String topic, String group,
                      Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, String> lastIds = lastEventIds(catalogRegionKafka, topic);
        String mirrored = catalogRegion + "." + topic;
        Map<Integer, Long> mirroredAt = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(joinedKafka);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, joinedKafka))) {
            while (mirroredAt.size() < lastIds.size()) {
                requireTime(deadline, timeout, "the catalog's last records to reach " + mirrored);
                List<PartitionInfo> partitions = consumer.listTopics(Duration.ofSeconds(5)).get(mirrored);
                if (partitions == null || partitions.isEmpty()) {
                    pause();
                    continue;
                }
                List<TopicPartition> assigned = partitions.stream()
                        .map(partition -> new TopicPartition(mirrored, partition.partition())).toList();
                if (!consumer.assignment().containsAll(assigned)) {
                    consumer.assign(assigned);
                    consumer.seekToBeginning(assigned);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (eventId(record).equals(lastIds.get(record.partition()))) {
                        mirroredAt.put(record.partition(), record.offset());
                    }
                }
            }
            while (true) {
                requireTime(deadline, timeout, "the catalog-service of the region joined to apply " + mirrored);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                boolean applied = mirroredAt.entrySet().stream().allMatch(last -> {
                    OffsetAndMetadata offset = committed.get(new TopicPartition(mirrored, last.getKey()));
                    return offset != null && offset.offset() > last.getValue();
                });
                if (applied) {
                    return;
                }
                pause();
            }
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Cannot read the consumer group " + group + " in " + joinedKafka, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the catalog", e);
        }
    }

    /** The id of each partition's last event, read from the end (a few records back: the last offset may be a marker). */
    private static Map<Integer, String> lastEventIds(String kafka, String topic) {
        Map<Integer, String> ids = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka)) {
            List<PartitionInfo> partitions = consumer.listTopics(Duration.ofSeconds(10)).get(topic);
            if (partitions == null) {
                return ids;
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(partition -> new TopicPartition(topic, partition.partition())).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, Duration.ofSeconds(10));
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition partition : assigned) {
                long end = ends.get(partition);
                if (end > 0) {
                    consumer.seek(partition, Math.max(0, end - 20));
                    remaining.put(partition, end);
                } else {
                    consumer.pause(List.of(partition));
                }
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    ids.put(record.partition(), eventId(record));
                }
                remaining.keySet().removeIf(partition -> consumer.position(partition) >= remaining.get(partition));
            }
            return ids;
        }
    }

    private static String eventId(ConsumerRecord<byte[], byte[]> record) {
        Header id = record.headers().lastHeader(EVENT_ID_HEADER);
        return id == null ? "" : new String(id.value(), StandardCharsets.UTF_8);
    }

    private static void requireTime(long deadline, Duration timeout, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("Waited " + timeout.toSeconds() + " s for " + what);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrapServers) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
    }

    private static void pause() {
        try {
            Thread.sleep(Duration.ofMillis(250));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the catalog", e);
        }
    }
}
