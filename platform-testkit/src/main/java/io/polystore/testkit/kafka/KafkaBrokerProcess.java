package io.polystore.testkit.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Kafka broker ({@code kafka_2.13}, KRaft, broker and controller in one node) as its own JVM, with its
 * log kept in a directory, for the local platform. The first start formats the storage.
 */
public final class KafkaBrokerProcess implements KafkaServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final String bootstrapServers;

    private KafkaBrokerProcess(Process process, String bootstrapServers) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
    }

    /**
     * @param dataDirectory where the broker keeps its log and configuration
     * @param port          the client port on 127.0.0.1; the controller listens on the next one
     */
    public static KafkaBrokerProcess start(Path dataDirectory, int port) {
        try {
            Files.createDirectories(dataDirectory);
            Path config = writeConfiguration(dataDirectory, port);
            if (!Files.exists(dataDirectory.resolve("log").resolve("meta.properties"))) {
                run(dataDirectory.resolve("format.log"), "kafka.tools.StorageTool", "format",
                        "--cluster-id", Uuid.randomUuid().toString(), "--config", config.toString());
            }
            Process process = java(dataDirectory.resolve("broker.log"), "kafka.Kafka", config.toString()).start();
            KafkaBrokerProcess broker = new KafkaBrokerProcess(process, "127.0.0.1:" + port);
            broker.awaitReady(dataDirectory.resolve("broker.log"));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker in " + dataDirectory, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        process.destroy(); // SIGTERM: the broker flushes and closes its log cleanly
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path writeConfiguration(Path dataDirectory, int port) throws IOException {
        int controllerPort = port + 1;
        Path config = dataDirectory.resolve("server.properties");
        Files.write(config, List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDirectory.resolve("log").toAbsolutePath(),
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                // Services create their topics; auto-creation would hide a missing one.
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0"));
        return config;
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with status " + process.exitValue() + "; see " + log);
                }
                try {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.nanoTime() > deadline) {
                        close();
                        throw new IllegalStateException("The Kafka broker did not answer on " + bootstrapServers
                                + " within " + START_TIMEOUT.toSeconds() + " s; see " + log);
                    }
                }
            }
        }
    }

    private static void run(Path log, String mainClass, String... args) throws IOException {
        try {
            Process process = java(log, mainClass, args).start();
            if (process.waitFor() != 0) {
                throw new IllegalStateException(mainClass + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + mainClass, e);
        }
    }

    /** The broker runs on this JVM's class path, which holds kafka_2.13 through spring-kafka-test. */
    private static ProcessBuilder java(Path log, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC",
                "-Dlogback.configurationFile=polystore-local-logback.xml",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    }
}
