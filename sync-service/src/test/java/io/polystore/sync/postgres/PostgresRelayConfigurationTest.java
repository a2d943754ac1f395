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

/**
 * Debezium's offset store reaches a secured Kafka as the service does, and keeps its offsets replicated; the relay
 * reads a primary among several servers.
 */
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
        PostgresOutboxRelay relay = new PostgresOutboxRelay(settings("postgres"), client, (short) 3, null, null);
        Properties engine = relay.engineProperties(relay.primary());

        assertThat(engine).containsEntry("bootstrap.servers", "kafka-0:9093,kafka-1:9093")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.location", "/etc/polystore/tls/kafka/ca.crt")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("offset.storage.topic", "sync-service.offsets");
    }

    @Test
    void aPrimaryAndItsStandbysAreNamedInOneHostAndReachedThroughAMultiHostUrl() {
        SyncProperties.Postgres settings = settings("db-a:5433, db-b");

        assertThat(settings.servers()).containsExactly(new SyncProperties.Postgres.Server("db-a", 5433),
                new SyncProperties.Postgres.Server("db-b", 5432));
        assertThat(settings.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db-a:5433,db-b:5432/orders?targetServerType=primary&hostRecheckSeconds=2");
        assertThat(settings("postgres").jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/orders");
    }

    @Test
    void theSlotIsAFailOverSlotOnTheServerThatIsThePrimary() {
        PostgresOutboxRelay relay = new PostgresOutboxRelay(settings("db-a:5433,db-b"), Map.of(), (short) 1, null, null);

        assertThat(relay.engineProperties(new SyncProperties.Postgres.Server("db-b", 5432)))
                .containsEntry("database.hostname", "db-b").containsEntry("database.port", "5432")
                .containsEntry("slot.failover", "true");
    }

    private static SyncProperties.Postgres settings(String host) {
        return new SyncProperties.Postgres(true, host, 5432, "orders", "orders_relay", "secret", "public.outbox_event",
                "order_service_outbox", "order_service_outbox", Duration.ofMillis(10), "sync-service.offsets",
                Duration.ofSeconds(1), 1L << 30, Duration.ofSeconds(10));
    }
}
