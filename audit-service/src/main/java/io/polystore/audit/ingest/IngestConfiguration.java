package io.polystore.audit.ingest;

import io.polystore.events.EventDecodingException;
import io.polystore.events.Topics;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.kafka.autoconfigure.ConcurrentKafkaListenerContainerFactoryConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The batch listener container for {@code audit.events}. It differs from the platform's default in two ways:
 * batches, so that one transaction and one lock cover hundreds of records; and its own error handler. A record that
 * cannot be decoded (the listener names it with a {@code BatchListenerFailedException}) goes to
 * {@code audit-service.dlt} at once with its reason, as with the platform's default. Any other failure (the
 * database is down) is retried with back-off for as long as it lasts, instead of for one minute and then to the
 * dead-letter topic: an audit event must reach the trail, and a growing consumer lag is the right alarm. Offsets
 * are committed as the platform's are, at most once a second, not after every batch: a commit per poll took a
 * fifth of the listener's CPU at 15 orders/s, and the events a crash delivers again are skipped by the trail.
 */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    static final String CONTAINER_FACTORY = "auditEventsBatchContainerFactory";

    @Bean(CONTAINER_FACTORY)
    @SuppressWarnings({"unchecked", "rawtypes"})
    ConcurrentKafkaListenerContainerFactory<String, byte[]> auditEventsBatchContainerFactory(
            ConcurrentKafkaListenerContainerFactoryConfigurer configurer, ConsumerFactory<?, ?> consumerFactory,
            KafkaTemplate<?, ?> template, @Value("${spring.kafka.consumer.group-id}") String consumerGroup) {
        ConcurrentKafkaListenerContainerFactory<String, byte[]> factory = new ConcurrentKafkaListenerContainerFactory<>();
        configurer.configure((ConcurrentKafkaListenerContainerFactory) factory, (ConsumerFactory) consumerFactory);
        factory.setBatchListener(true);
        // One consumer, not the platform's one per partition: the chain is appended under one lock, so batches, not
        // consumers, are what make ingest keep up.
        factory.setConcurrency(1);
        var recoverer = new DeadLetterPublishingRecoverer(template,
                (record, failure) -> new TopicPartition(Topics.deadLetter(consumerGroup), -1));
        ExponentialBackOff backOff = new ExponentialBackOff(200, 2.0);
        backOff.setMaxInterval(10_000);
        DefaultErrorHandler errorHandler = new DefaultErrorHandler(recoverer, backOff);
        errorHandler.addNotRetryableExceptions(EventDecodingException.class);
        factory.setCommonErrorHandler(errorHandler);
        return factory;
    }
}
