package io.polystore.testkit.backup;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Kafka after the stores were restored to an earlier point (Kafka itself was not lost): every consumer group goes
 * back to the first message at or after that point, so that whatever the restored stores lost is applied again and
 * the consumers' inboxes (restored with them) drop what they already have; and the PostgreSQL relay's Debezium
 * offsets are cleared, because they name WAL positions of a history the restore cut off and its replication slot is
 * gone: the relay then relays the outbox table again from a snapshot, and the inboxes drop the duplicates.
 */
public final class KafkaPositions {

    private static final Duration GROUPS_LOADING = Duration.ofSeconds(30);

    private final String bootstrapServers;

    public KafkaPositions(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * Moves every consumer group's committed offsets back to {@code point}; the groups must have no members.
     *
     * @return per group, how many messages it will read again
     */
    public Map<String, Long> rewindConsumerGroups(Instant point) {
        Map<String, Long> rewound = new LinkedHashMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            for (ConsumerGroupListing group : consumerGroups(admin)) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> atPoint = new HashMap<>();
                committed.keySet().forEach(partition -> atPoint.put(partition, OffsetSpec.forTimestamp(point.toEpochMilli())));
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found = admin.listOffsets(atPoint).all().get();
                Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
                long messages = 0;
                for (var entry : committed.entrySet()) {
                    if (entry.getValue() == null) {
                        continue;
                    }
                    long offset = found.get(entry.getKey()).offset();
                    // -1: no message at or after the point, so nothing to read again.
                    if (offset >= 0 && offset < entry.getValue().offset()) {
                        moved.put(entry.getKey(), new OffsetAndMetadata(offset));
                        messages += entry.getValue().offset() - offset;
                    }
                }
                if (!moved.isEmpty()) {
                    admin.alterConsumerGroupOffsets(group.groupId(), moved).all().get();
                }
                rewound.put(group.groupId(), messages);
            }
            return rewound;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Rewinding the consumer groups at " + bootstrapServers + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rewinding the consumer groups", e);
        }
    }

    /**
     * The consumer groups. A broker that has just started lists none until its group coordinator has loaded the
     * offsets topic, so an empty answer is asked again for a while.
     */
    private static Collection<ConsumerGroupListing> consumerGroups(Admin admin) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + GROUPS_LOADING.toNanos();
        Collection<ConsumerGroupListing> groups = admin.listConsumerGroups().all().get();
        while (groups.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(500);
            groups = admin.listConsumerGroups().all().get();
        }
        return groups;
    }

    /**
     * Writes a tombstone for every key in Kafka Connect's offset topic (Debezium's offsets), so that the connector
     * starts as if it never ran.
     *
     * @return how many offsets were cleared
     */
    public int clearConnectorOffsets(String offsetTopic) {
        Map<String, Object> consumerConfig = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Map<String, byte[]> keys = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(offsetTopic, Duration.ofSeconds(10)).forEach(info ->
                    partitions.add(new TopicPartition(offsetTopic, info.partition())));
            if (partitions.isEmpty()) {
                return 0;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    String key = new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
                    if (record.value() == null) {
                        keys.remove(key);
                    } else {
                        keys.put(key, record.key());
                    }
                }
            }
        }
        if (keys.isEmpty()) {
            return 0;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (byte[] key : keys.values()) {
                producer.send(new ProducerRecord<>(offsetTopic, key, null)).get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Clearing the offsets in " + offsetTopic + " failed: "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while clearing the offsets in " + offsetTopic, e);
        }
        return keys.size();
    }
}
