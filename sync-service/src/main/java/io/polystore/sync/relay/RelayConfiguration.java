package io.polystore.sync.relay;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.observability.EventTracing;
import io.polystore.sync.SyncProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

@Configuration(proxyBeanMethods = false)
class RelayConfiguration {

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry) {
        return new RelayMetrics(registry);
    }

    @Bean
    OutboxPublisher outboxPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, RelayMetrics metrics,
                                    SyncProperties properties, EventTracing tracing,
                                    @Value("${spring.application.name}") String application) {
        return new OutboxPublisher(kafka, binding, metrics, Topics.deadLetter(application), properties.publishTimeout(),
                Clock.systemUTC(), tracing);
    }

    @Bean
    CompositeHealthContributor relaysHealthContributor(ObjectProvider<ExclusiveRelayRunner> runners) {
        Map<String, HealthIndicator> relays = new TreeMap<>();
        runners.orderedStream().forEach(runner -> relays.put(runner.source(), new RelayHealthIndicator(runner)));
        return CompositeHealthContributor.fromMap(relays);
    }

    @Bean
    ExclusiveRelayRunner.LockDatabase relayLockDatabase(JdbcConnectionDetails jdbc) {
        return new ExclusiveRelayRunner.LockDatabase(jdbc.getJdbcUrl(), jdbc.getUsername(), jdbc.getPassword());
    }
}
