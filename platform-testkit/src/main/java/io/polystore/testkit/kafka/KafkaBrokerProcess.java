package io.polystore.testkit.kafka;

import io.polystore.testkit.tls.LocalCertificates;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The real Kafka broker ({@code kafka_2.13}, KRaft, broker and controller in one node) as its own JVM, with its
 * log kept in a directory, for the local platform: alone, or as one node of a {@link KafkaCluster}. The first start
 * formats the storage. With TLS, clients reach it on an SSL listener only (the host certificate; no client
 * certificates); the controller's listener stays plain, on the loopback interface, where only the brokers talk to it.
 */
public final class KafkaBrokerProcess implements KafkaServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDirectory;
    private final Path config;
    private final String bootstrapServers;
    private final LocalCertificates tls;
    private volatile Process process;

    private KafkaBrokerProcess(Path dataDirectory, Path config, int port, LocalCertificates tls) {
        this.dataDirectory = dataDirectory;
        this.config = config;
        this.bootstrapServers = "127.0.0.1:" + port;
        this.tls = tls;
    }

    /**
     * @param dataDirectory where the broker keeps its log and configuration
     * @param port          the client port on 127.0.0.1; the controller listens on the next one
     */
    public static KafkaBrokerProcess start(Path dataDirectory, int port) {
        return start(dataDirectory, port, null);
    }

    /** Like {@link #start(Path, int)}, with clients on TLS only when {@code tls} is not null. */
    public static KafkaBrokerProcess start(Path dataDirectory, int port, LocalCertificates tls) {
        KafkaBrokerProcess broker = prepare(dataDirectory, 1, List.of(port), Uuid.randomUuid().toString(), tls);
        broker.launch();
        broker.awaitReady();
        return broker;
    }

    /**
     * Writes the node's configuration and formats its storage on the first start.
     *
     * @param node      1 for the first node
     * @param ports     every node's client port; each controller listens on the port after its node's
     * @param clusterId the same for every node of a cluster, used only to format
     * @param tls       the certificates of the clients' SSL listener, or null for a plain one
     */
    static KafkaBrokerProcess prepare(Path dataDirectory, int node, List<Integer> ports, String clusterId,
                                      LocalCertificates tls) {
        try {
            Files.createDirectories(dataDirectory);
            int port = ports.get(node - 1);
            Path config = writeConfiguration(dataDirectory, node, ports, tls);
            if (!Files.exists(dataDirectory.resolve("log").resolve("meta.properties"))) {
                run(dataDirectory.resolve("format.log"), "kafka.tools.StorageTool", "format",
                        "--cluster-id", clusterId, "--config", config.toString());
            }
            return new KafkaBrokerProcess(dataDirectory, config, port, tls);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka broker in " + dataDirectory, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * What a client needs besides {@code bootstrap.servers}: nothing for a plain broker; with TLS, protocol SSL and
     * the local CA as its PEM trust store (the host name is verified, Kafka's default).
     */
    public Map<String, Object> clientSecurity() {
        Map<String, Object> security = new HashMap<>();
        if (tls != null) {
            security.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL");
            security.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            security.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, tls.caCertificate().toString());
        }
        return security;
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** SIGKILL: the broker dies at once, as in a crash; {@link #restart()} brings it back with its log. */
    public void kill() {
        Process running = process;
        if (running != null) {
            try {
                running.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the broker again on its log and waits until it answers. */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("The Kafka broker on " + bootstrapServers + " is running");
        }
        launch();
        awaitReady();
    }

    @Override
    public void close() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy(); // SIGTERM: the broker flushes and closes its log cleanly
        try {
            if (!running.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                running.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.destroyForcibly();
        }
    }

    void launch() {
        try {
            process = java(dataDirectory.resolve("broker.log"), "kafka.Kafka", config.toString()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the Kafka broker in " + dataDirectory, e);
        }
    }

    private static Path writeConfiguration(Path dataDirectory, int node, List<Integer> ports, LocalCertificates tls)
            throws IOException {
        int port = ports.get(node - 1);
        int nodes = ports.size();
        String listener = tls == null ? "PLAINTEXT" : "SSL";
        String voters = IntStream.range(0, nodes).mapToObj(i -> (i + 1) + "@127.0.0.1:" + (ports.get(i) + 1))
                .collect(Collectors.joining(","));
        // A cluster keeps three copies of its own topics and refuses writes with fewer than two in sync.
        String replicas = Integer.toString(Math.min(3, nodes));
        String minInSync = Integer.toString(Math.min(2, nodes));
        List<String> lines = new ArrayList<>(List.of(
                "process.roles=broker,controller",
                "node.id=" + node,
                "controller.quorum.voters=" + voters,
                "listeners=" + listener + "://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + (port + 1),
                "advertised.listeners=" + listener + "://127.0.0.1:" + port,
                "inter.broker.listener.name=" + listener,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDirectory.resolve("log").toAbsolutePath(),
                "num.partitions=3",
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minInSync,
                "offsets.topic.replication.factor=" + replicas,
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minInSync,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minInSync,
                // Services create their topics; auto-creation would hide a missing one.
                "auto.create.topics.enable=false",
                "group.initial.rebalance.delay.ms=0"));
        if (tls != null) {
            // PEM files as they are: the host certificate and key for clients, the CA for the brokers' own clients.
            lines.addAll(List.of(
                    "ssl.keystore.type=PEM",
                    "ssl.keystore.location=" + keyStore(dataDirectory, tls),
                    "ssl.truststore.type=PEM",
                    "ssl.truststore.location=" + tls.caCertificate(),
                    "ssl.client.auth=none"));
        }
        Path config = dataDirectory.resolve("server.properties");
        Files.write(config, lines);
        return config;
    }

    /** Kafka's PEM key store is one file: the private key, then the certificate chain. */
    private static Path keyStore(Path dataDirectory, LocalCertificates tls) throws IOException {
        Path keyStore = dataDirectory.resolve("broker-keystore.pem");
        Files.deleteIfExists(keyStore);
        Files.createFile(keyStore, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyStore, Files.readString(tls.privateKey()) + Files.readString(tls.certificate()));
        return keyStore;
    }

    void awaitReady() {
        Path log = dataDirectory.resolve("broker.log");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        Map<String, Object> admin = new HashMap<>(clientSecurity());
        admin.putAll(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2_000));
        try (Admin client = Admin.create(admin)) {
            while (true) {
                if (!isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with status " + process.exitValue() + "; see " + log);
                }
                try {
                    client.describeCluster().nodes().get(2, TimeUnit.SECONDS);
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

    /**
     * The broker runs on this JVM's class path, which holds kafka_2.13 through spring-kafka-test. Like the local
     * platform's services it runs on the quick compiler alone: a broker here lives for minutes, and the full JIT spent
     * them compiling (half of the broker's CPU at 15 orders/s two minutes after start-up).
     */
    private static ProcessBuilder java(Path log, String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=polystore-local-logback.xml",
                "-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    }
}
