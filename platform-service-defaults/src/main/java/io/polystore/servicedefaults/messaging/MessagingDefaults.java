package io.polystore.servicedefaults.messaging;

import io.polystore.events.EventCodec;
import io.polystore.events.EventDecodingException;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
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
 * created at start-up, and a failing record retried, then sent with its reason to {@code <group>.dlt} so that
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

    @Bean
    KafkaAdmin.NewTopics polystoreTopics(MessagingProperties properties,
                                         @Value("${spring.kafka.consumer.group-id}") String consumerGroup) {
        return new KafkaAdmin.NewTopics(Stream.of(Topics.ORDERS_EVENTS, Topics.CATALOG_EVENTS, Topics.CATALOG_COMMANDS,
                        Topics.AUDIT_EVENTS, Topics.deadLetter(consumerGroup))
                .map(name -> topic(name, properties))
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

    private static NewTopic topic(String name, MessagingProperties properties) {
        return TopicBuilder.name(name).partitions(properties.partitions()).replicas(properties.replicationFactor())
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(properties.minInsyncReplicas()))
                .build();
    }
}
