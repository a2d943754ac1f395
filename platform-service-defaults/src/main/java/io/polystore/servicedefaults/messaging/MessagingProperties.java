package io.polystore.servicedefaults.messaging;

import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.kafka.*}: how topics are created and how long a failing record is retried before it goes
 * to its consumer group's dead-letter topic.
 *
 * @param partitions        partitions of each Polystore topic
 * @param instances         instances of this service side by side, in one consumer group: each listener of an instance
 *                          runs {@code partitions / instances} consumers (rounded up), so that together they have one
 *                          per partition ({@code spring.kafka.listener.concurrency}, unless set)
 * @param replicationFactor replicas of each topic (1 for a single local broker, 3 in production)
 * @param minInsyncReplicas the topics' {@code min.insync.replicas}: a write (the producers send with {@code acks=all})
 *                          succeeds only once this many replicas have it (1 for a single broker, 2 with three); at
 *                          most {@code replicationFactor}
 * @param retryFor          how long a record whose handling fails is retried, with growing pauses, before
 *                          it is dead-lettered; records that cannot be decoded are dead-lettered at once
 */
@Validated
@ConfigurationProperties("polystore.kafka")
public record MessagingProperties(
        @DefaultValue(DEFAULT_PARTITIONS) @Min(1) int partitions,
        @DefaultValue(DEFAULT_INSTANCES) @Min(1) int instances,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("1") @Min(1) int minInsyncReplicas,
        @DefaultValue("60s") Duration retryFor) {

    public static final String PARTITIONS = "polystore.kafka.partitions";
    public static final String INSTANCES = "polystore.kafka.instances";
    public static final String DEFAULT_PARTITIONS = "6";
    public static final String DEFAULT_INSTANCES = "1";

    public MessagingProperties {
        if (minInsyncReplicas > replicationFactor) {
            throw new IllegalArgumentException("polystore.kafka.min-insync-replicas (" + minInsyncReplicas
                    + ") must not exceed polystore.kafka.replication-factor (" + replicationFactor
                    + "): no write could succeed");
        }
    }
}
