package io.polystore.sync.postgres;

import io.polystore.sync.SyncProperties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Debezium's offset store reaches a secured Kafka as the service does, and keeps its offsets replicated. */
class PostgresRelayConfigurationTest {

    @Test
    void theOffsetStoreTakesTheServicesKafkaSecurityAndReplication() {
        KafkaProperties kafka = new KafkaProperties();
        kafka.getSecurity().setProtocol("SASL_SSL");
        kafka.getProperties().putAll(Map.of("sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
                "ssl.truststore.type", "PEM", "ssl.truststore.location", "/etc/polystore/tls/kafka/ca.crt"));
        KafkaConnectionDetails brokers = () -> List.of("kafka-0:9093", "kafka-1:9093");

        Map<String, String> client = PostgresRelayConfiguration.offsetStoreClient(brokers, kafka);
        Properties engine = new PostgresOutboxRelay(settings(), client, (short) 3, null, null).engineProperties();

        assertThat(engine).containsEntry("bootstrap.servers", "kafka-0:9093,kafka-1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/polystore/tls/kafka/ca.crt")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("offset.storage.topic", "sync-service.offsets");
    }

    private static SyncProperties.Postgres settings() {
        return new SyncProperties.Postgres(true, "postgres", 5432, "orders", "orders_relay", "secret", "public.outbox_event",
                "order_service_outbox", "order_service_outbox", Duration.ofMillis(10), "sync-service.offsets",
                Duration.ofSeconds(1), 1L << 30, Duration.ofSeconds(10));
    }
}
