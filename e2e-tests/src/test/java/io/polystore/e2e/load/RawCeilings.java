package io.polystore.e2e.load;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The hops of the saga measured raw, one caller, one after the other, against the platform's own stores: a
 * PostgreSQL insert and commit (with {@code synchronous_commit=on}, as the platform runs it), a SurrealDB transaction
 * that creates a record over HTTP RPC, and a Kafka round trip (send with {@code acks=all}, until a consumer has it).
 * Scratch tables and a scratch topic keep the platform's data untouched.
 */
final class RawCeilings {

    /** Latencies of one hop, in nanoseconds. */
    record Hop(String name, List<Long> nanos) {
    }

    private final int postgresPort;
    private final int kafkaPort;
    private final int surrealDbPort;

    RawCeilings(int postgresPort, int kafkaPort, int surrealDbPort) {
        this.postgresPort = postgresPort;
        this.kafkaPort = kafkaPort;
        this.surrealDbPort = surrealDbPort;
    }

    List<Hop> measure(int samples) throws Exception {
        return List.of(postgresCommit(samples), surrealDbTransaction(samples), kafkaRoundTrip(samples));
    }

    private Hop postgresCommit(int samples) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://localhost:" + postgresPort + "/postgres",
                "postgres", "postgres")) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE IF NOT EXISTS saga_benchmark_commit (id uuid PRIMARY KEY, payload jsonb NOT NULL)");
            }
            List<Long> nanos = new ArrayList<>();
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO saga_benchmark_commit (id, payload) VALUES (?, ?::jsonb)")) {
                for (int i = 0; i < samples; i++) {
                    long begin = System.nanoTime();
                    insert.setObject(1, UUID.randomUUID());
                    insert.setString(2, "{\"quantity\": 1}");
                    insert.executeUpdate();
                    nanos.add(System.nanoTime() - begin);
                }
            }
            return new Hop("PostgreSQL insert + commit", nanos);
        }
    }

    private Hop surrealDbTransaction(int samples) {
        HttpRpcSettings settings = HttpRpcSettings.of(URI.create("http://127.0.0.1:" + surrealDbPort), "saga_benchmark",
                "ceiling", "root", "root");
        try (SurrealClient surreal = new SurrealClient(new HttpRpcTransport(settings, new SimpleMeterRegistry()))) {
            surreal.queryWithoutDatabase("DEFINE NAMESPACE IF NOT EXISTS saga_benchmark; USE NS saga_benchmark; "
                    + "DEFINE DATABASE IF NOT EXISTS ceiling;", Map.of()).requireSuccess();
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long begin = System.nanoTime();
                surreal.query("BEGIN; CREATE type::record('hop', $id) SET quantity = 1, at = time::now(); COMMIT;",
                        Map.of("id", UUID.randomUUID().toString())).requireSuccess();
                nanos.add(System.nanoTime() - begin);
            }
            return new Hop("SurrealDB transaction (HTTP RPC)", nanos);
        }
    }

    private Hop kafkaRoundTrip(int samples) throws ExecutionException, InterruptedException {
        String bootstrap = "127.0.0.1:" + kafkaPort;
        String topic = "saga-benchmark.round-trip";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
            }
        }
        Properties producerConfig = new Properties();
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        Properties consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer());
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
            List<Long> nanos = new ArrayList<>();
            for (int i = 0; i < samples; i++) {
                long begin = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, "key", Integer.toString(i)));
                long giveUp = begin + Duration.ofSeconds(30).toNanos();
                while (consumer.poll(Duration.ofSeconds(1)).isEmpty()) {
                    if (System.nanoTime() > giveUp) {
                        throw new IllegalStateException("The round-trip record did not come back within 30 s");
                    }
                }
                nanos.add(System.nanoTime() - begin);
            }
            return new Hop("Kafka round trip (send, consume)", nanos);
        }
    }
}
