package io.polystore.sync.postgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.postgres.internal.OutboxChangeEvents;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.sync.postgres.enabled", matchIfMissing = true)
class PostgresRelayConfiguration {

    @Bean
    PostgresOutboxRelay postgresOutboxRelay(SyncProperties properties, KafkaConnectionDetails kafka, EventCodec codec,
                                            OutboxPublisher publisher) {
        return new PostgresOutboxRelay(properties.postgres(), String.join(",", kafka.getBootstrapServers()),
                new OutboxChangeEvents(codec), publisher);
    }

    @Bean
    ExclusiveRelayRunner postgresRelayRunner(PostgresOutboxRelay relay, ExclusiveRelayRunner.LockDatabase lockDatabase,
                                             SyncProperties properties, RelayMetrics metrics) {
        return new ExclusiveRelayRunner(relay, lockDatabase, properties.leadership().retryInterval(),
                properties.leadership().checkInterval(), metrics);
    }

    @Bean
    WalRetentionGauge walRetentionGauge(SyncProperties properties, MeterRegistry registry) {
        return new WalRetentionGauge(properties.postgres(), Clock.systemUTC(), registry);
    }
}
