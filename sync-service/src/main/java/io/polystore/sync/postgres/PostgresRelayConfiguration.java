package io.polystore.sync.postgres;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventCodec;
import io.polystore.servicedefaults.messaging.MessagingProperties;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.postgres.internal.OutboxChangeEvents;
import io.polystore.sync.relay.ExclusiveRelayRunner;
import io.polystore.sync.relay.OutboxPublisher;
import io.polystore.sync.relay.RelayMetrics;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "polystore.sync.postgres.enabled", matchIfMissing = true)
class PostgresRelayConfiguration {

    @Bean
    PostgresOutboxRelay postgresOutboxRelay(SyncProperties properties, KafkaConnectionDetails kafka,
                                            KafkaProperties kafkaProperties, MessagingProperties messaging,
                                            EventCodec codec, OutboxPublisher publisher) {
        return new PostgresOutboxRelay(properties.postgres(), offsetStoreClient(kafka, kafkaProperties),
                messaging.replicationFactor(), new OutboxChangeEvents(codec), publisher);
    }

    /**
     * Debezium's offset store reaches Kafka as the service's own clients do: its brokers, security protocol and
     * {@code spring.kafka.properties.*} (SASL, a PEM trust store). Spring's SSL bundles are objects, not client
     * properties: a secured broker's trust store is given as {@code spring.kafka.properties.ssl.truststore.*}.
     */
    static Map<String, String> offsetStoreClient(KafkaConnectionDetails kafka, KafkaProperties kafkaProperties) {
        Map<String, String> client = new LinkedHashMap<>(kafkaProperties.getProperties());
        if (kafkaProperties.getSecurity().getProtocol() != null) {
            client.put("security.protocol", kafkaProperties.getSecurity().getProtocol());
        }
        client.put("bootstrap.servers", String.join(",", kafka.getBootstrapServers()));
        return client;
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
