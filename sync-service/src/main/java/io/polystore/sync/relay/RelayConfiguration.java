package io.polystore.sync.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.sync.SyncProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry) {
        return new RelayMetrics(registry);
    }

    @Bean
    OutboxPublisher outboxPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, RelayMetrics metrics,
                                    SyncProperties properties, @Value("${spring.application.name}") String application) {
        return new OutboxPublisher(kafka, binding, metrics, Topics.deadLetter(application), properties.publishTimeout(),
                Clock.systemUTC());
    }

    @Bean
    RelayHealthIndicator relaysHealthIndicator(ObjectProvider<ExclusiveRelayRunner> runners) {
        return new RelayHealthIndicator(runners.orderedStream().toList());
    }

    @Bean
    ExclusiveRelayRunner.LockDatabase relayLockDatabase(JdbcConnectionDetails jdbc) {
        return new ExclusiveRelayRunner.LockDatabase(jdbc.getJdbcUrl(), jdbc.getUsername(), jdbc.getPassword());
    }
}
