package io.polystore.testkit.tls;

import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PostgreSQL and the Kafka broker as the local platform runs them with TLS: a client that verifies the server against
 * the local CA gets in, one without TLS is refused, and one trusting another CA fails the handshake.
 */
class StoresOverTlsIT {

    @TempDir
    static Path directory;

    private static LocalCertificates certificates;
    private static LocalCertificates otherCa;
    private static EmbeddedPostgresServer postgres;
    private static KafkaBrokerProcess kafka;

    @BeforeAll
    static void start() {
        certificates = LocalCertificates.in(directory.resolve("tls"));
        otherCa = LocalCertificates.in(directory.resolve("other-tls"));
        postgres = EmbeddedPostgresServer.start(null, 0, certificates);
        // The controller listens on the port after the broker's: PlatformPorts finds two free in a row.
        kafka = KafkaBrokerProcess.start(directory.resolve("kafka"), PlatformPorts.free().kafka(), certificates);
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void postgresqlServesVerifiedTlsConnectionsOnly() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), "postgres", "postgres");
             ResultSet ssl = connection.createStatement().executeQuery(
                     "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(postgres.jdbcUrl("postgres")).contains("sslmode=verify-full");
            assertThat(ssl.next()).isTrue();
            assertThat(ssl.getBoolean("ssl")).isTrue();
            assertThat(ssl.getString("version")).startsWith("TLSv1.");
        }
        String plain = "jdbc:postgresql://localhost:" + postgres.port() + "/postgres?sslmode=disable";
        assertThatThrownBy(() -> DriverManager.getConnection(plain, "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");
        String wrongCa = "jdbc:postgresql://localhost:" + postgres.port() + "/postgres?" + otherCa.jdbcParameters();
        assertThatThrownBy(() -> DriverManager.getConnection(wrongCa, "postgres", "postgres").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("SSL error");
    }

    @Test
    void kafkaCarriesRecordsOverTlsAndRefusesOtherClients() throws Exception {
        Map<String, Object> client = new HashMap<>(kafka.clientSecurity());
        client.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic("tls-it", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> producer = new HashMap<>(client);
        producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        try (KafkaProducer<String, String> sender = new KafkaProducer<>(producer)) {
            sender.send(new ProducerRecord<>("tls-it", "key", "over TLS")).get(30, TimeUnit.SECONDS);
        }
        Map<String, Object> consumer = new HashMap<>(client);
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "tls-it");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumer.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (KafkaConsumer<String, String> receiver = new KafkaConsumer<>(consumer)) {
            receiver.subscribe(List.of("tls-it"));
            ConsumerRecords<String, String> records = ConsumerRecords.empty();
            for (long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                 records.isEmpty() && System.nanoTime() < deadline; ) {
                records = receiver.poll(Duration.ofMillis(500));
            }
            assertThat(records).extracting(record -> record.value()).containsExactly("over TLS");
        }

        assertThat(clusterAnswers(Map.of())).as("a plaintext client").isFalse();
        assertThat(clusterAnswers(Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL",
                SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM",
                SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, otherCa.caCertificate().toString())))
                .as("a client trusting another CA").isFalse();
    }

    private static boolean clusterAnswers(Map<String, Object> security) throws InterruptedException {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(config)) {
            admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
    }
}
