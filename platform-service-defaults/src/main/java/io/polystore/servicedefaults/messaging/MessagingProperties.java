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
 * @param partitions        partitions of each Polystore topic; each listener runs one consumer per partition
 * @param replicationFactor replicas of each topic (1 for a single local broker, 3 in production)
 * @param retryFor          how long a record whose handling fails is retried, with growing pauses, before
 *                          it is dead-lettered; records that cannot be decoded are dead-lettered at once
 */
@Validated
@ConfigurationProperties("polystore.kafka")
public record MessagingProperties(
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("60s") Duration retryFor) {
}
