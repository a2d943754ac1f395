package io.polystore.sync.postgres;

import io.polystore.sync.SyncProperties;
import io.polystore.testkit.tls.LocalCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debezium's offset store reaches a secured Kafka as the service does, and keeps its offsets replicated; the relay
 * reads a primary among several servers, and reaches PostgreSQL with the configured TLS.
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

        Map<String, String> client = PostgresRelayConfiguration.offsetStoreClient(brokers, kafka, noBundles());
        PostgresOutboxRelay relay = new PostgresOutboxRelay(settings(), client, (short) 3, null, null);
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
        SyncProperties.Postgres settings = settings("db-a:5433, db-b", "disable");

        assertThat(settings.servers()).containsExactly(new SyncProperties.Postgres.Server("db-a", 5433),
                new SyncProperties.Postgres.Server("db-b", 5432));
        assertThat(settings.jdbcUrl())
                .isEqualTo("jdbc:postgresql://db-a:5433,db-b:5432/orders?sslmode=disable&targetServerType=primary&hostRecheckSeconds=2");
        assertThat(settings("postgres", "disable").jdbcUrl()).isEqualTo("jdbc:postgresql://postgres:5432/orders?sslmode=disable");
    }

    @Test
    void theSlotIsAFailOverSlotOnTheServerThatIsThePrimary() {
        PostgresOutboxRelay relay = new PostgresOutboxRelay(settings("db-a:5433,db-b", "disable"), Map.of(), (short) 1, null, null);

        assertThat(relay.engineProperties(new SyncProperties.Postgres.Server("db-b", 5432)))
                .containsEntry("database.hostname", "db-b").containsEntry("database.port", "5432")
                .containsEntry("slot.failover", "true")
                .containsEntry("snapshot.mode", "when_needed");
    }

    @Test
    void theOffsetStoreTrustsTheCertificatesOfTheServicesKafkaSslBundle(@TempDir Path directory) throws IOException {
        LocalCertificates certificates = LocalCertificates.in(directory);
        KafkaProperties kafka = new KafkaProperties();
        kafka.getSecurity().setProtocol("SSL");
        kafka.getSsl().setBundle("polystore");
        SslBundle bundle = SslBundle.of(new PemSslStoreBundle(null,
                PemSslStoreDetails.forCertificate(certificates.caCertificate().toString())));
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry("polystore", bundle);

        Map<String, String> client = PostgresRelayConfiguration.offsetStoreClient(() -> List.of("127.0.0.1:9093"), kafka,
                new StaticListableBeanFactory(Map.of("sslBundles", bundles)).getBeanProvider(SslBundles.class));

        assertThat(client).containsEntry("security.protocol", "SSL").containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.certificates", Files.readString(certificates.caCertificate()));
    }

    @Test
    void theRelayReachesPostgresqlWithTheConfiguredSslModeAndRootCertificate() {
        Properties engine = new PostgresOutboxRelay(settings(), Map.of(), (short) 1, null, null)
                .engineProperties(new SyncProperties.Postgres.Server("postgres", 5432));

        assertThat(engine).containsEntry("database.sslmode", "verify-full")
                .containsEntry("database.sslrootcert", "/etc/polystore/tls/postgresql/ca.crt");
        assertThat(settings().jdbcUrl()).isEqualTo(
                "jdbc:postgresql://postgres:5432/orders?sslmode=verify-full&sslrootcert=%2Fetc%2Fpolystore%2Ftls%2Fpostgresql%2Fca.crt");
    }

    private static ObjectProvider<SslBundles> noBundles() {
        return new StaticListableBeanFactory().getBeanProvider(SslBundles.class);
    }

    private static SyncProperties.Postgres settings() {
        return settings("postgres", "verify-full");
    }

    private static SyncProperties.Postgres settings(String host, String sslMode) {
        return new SyncProperties.Postgres(true, host, 5432, "orders", "orders_relay", "secret", sslMode,
                "verify-full".equals(sslMode) ? "/etc/polystore/tls/postgresql/ca.crt" : null, "public.outbox_event",
                "order_service_outbox", "order_service_outbox", Duration.ofMillis(10), "sync-service.offsets",
                Duration.ofSeconds(1), Duration.ofSeconds(10), 1L << 30, Duration.ofSeconds(10));
    }
}
