package io.polystore.servicedefaults.messaging;

import io.polystore.events.EventCodec;
import io.polystore.events.EventDecodingException;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.RegionProperties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.util.backoff.ExponentialBackOff;

import java.util.stream.Stream;

/**
 * Kafka the Polystore way: events in the CloudEvents binding of {@code platform-events}, the platform's topics
 * created at start-up (the catalog's replication topic and the orders' history compacted), and a failing record retried, then sent with its reason to {@code <group>.dlt} so that
 * one bad record never stops a consumer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(KafkaTemplate.class)
@EnableConfigurationProperties(MessagingProperties.class)
public class MessagingDefaults {

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    KafkaEventBinding kafkaEventBinding(EventCodec codec) {
        return new KafkaEventBinding(codec);
    }

    /**
     * The platform's topics. The catalog's replication topic is compacted: it keeps each record's latest state for as
     * long as the catalog lives, so a region that joins later reads the whole catalog from its beginning. In a region
     * that holds a replica, the mirror of the catalog region's replication topic is declared too, with the same
     * settings: MirrorMaker 2 creates it only on its first pass, and a consumer subscribed before would not see it
     * until its next metadata refresh (up to {@code metadata.max.age.ms}, five minutes); MirrorMaker uses a topic that
     * exists as it is. For the same reason the stock transfers of every peer ({@code polystore.region.peers}) are
     * declared as mirrored here, beside this region's own {@code catalog.transfers}. The orders' masked history
     * ({@code orders.history}) is compacted like the catalog's replication topic, for the same reason (a peer's replica
     * reads every order's latest record from the beginning), and declared with its peers' mirrors. So is {@code regions},
     * where this region announces itself to the others ({@code KnownRegions}). A region added at run time is no
     * configured peer: its mirrored topics are created by MirrorMaker, and the consumers subscribed by pattern take
     * them at their next metadata refresh ({@code KnownRegions.PATTERN_METADATA_MAX_AGE}).
     */
    @Bean
    KafkaAdmin.NewTopics polystoreTopics(MessagingProperties properties, RegionProperties region,
                                         @Value("${spring.kafka.consumer.group-id}") String consumerGroup) {
        Stream<String> transfers = Stream.concat(Stream.of(Topics.CATALOG_TRANSFERS),
                region.peers().stream().map(peer -> Topics.mirrored(peer, Topics.CATALOG_TRANSFERS)));
        Stream<NewTopic> topics = Stream.concat(Stream.of(Topics.ORDERS_EVENTS, Topics.CATALOG_EVENTS,
                        Topics.CATALOG_COMMANDS, Topics.AUDIT_EVENTS, Topics.deadLetter(consumerGroup)), transfers)
                .map(name -> topic(name, properties).build());
        Stream<String> catalogReplication = region.writesCatalog() ? Stream.of(Topics.CATALOG_REPLICATION)
                : Stream.of(Topics.CATALOG_REPLICATION, Topics.mirrored(region.catalogRegion(), Topics.CATALOG_REPLICATION));
        Stream<String> orderHistory = Stream.concat(Stream.of(Topics.ORDER_HISTORY),
                region.peers().stream().map(peer -> Topics.mirrored(peer, Topics.ORDER_HISTORY)));
        // Each region's announcement (KnownRegions), kept per region for as long as the platform lives.
        Stream<String> replication = Stream.concat(Stream.concat(catalogReplication, orderHistory), Stream.of(Topics.REGIONS));
        return new KafkaAdmin.NewTopics(Stream.concat(topics, replication.map(name -> topic(name, properties)
                        .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT).build()))
                .toArray(NewTopic[]::new));
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler deadLetteringErrorHandler(KafkaTemplate<?, ?> template, MessagingProperties properties,
                                                  @Value("${spring.kafka.consumer.group-id}") String consumerGroup) {
        // The recoverer adds the failure to the record's headers (kafka_dlt-exception-message and friends).
        var recoverer = new DeadLetterPublishingRecoverer(template, (record, failure) -> new TopicPartition(
                Topics.deadLetter(KafkaUtils.getConsumerGroupId() != null ? KafkaUtils.getConsumerGroupId() : consumerGroup),
                -1));
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(5_000);
        backOff.setMaxElapsedTime(properties.retryFor().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        // Retrying cannot make an unreadable record readable.
        handler.addNotRetryableExceptions(EventDecodingException.class);
        return handler;
    }

    private static TopicBuilder topic(String name, MessagingProperties properties) {
        return TopicBuilder.name(name).partitions(properties.partitions()).replicas(properties.replicationFactor())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(properties.minInsyncReplicas()));
    }
}
