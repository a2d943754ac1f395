package io.polystore.testkit;

import io.polystore.testkit.jwt.TestTokenIssuer;
import io.polystore.testkit.kafka.ContainerKafkaServer;
import io.polystore.testkit.kafka.EmbeddedKafkaServer;
import io.polystore.testkit.kafka.KafkaServer;
import io.polystore.testkit.postgres.ContainerPostgresServer;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.postgres.PostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import java.util.function.Supplier;

/**
 * Each real server, started on first use and shared by every test in the JVM, stopped when the JVM exits.
 * The backend (embedded or containers) comes from {@link Backend#current()}.
 */
public final class SharedServers {

    private static final Logger log = LoggerFactory.getLogger(SharedServers.class);

    private static final Lazy<PostgresServer> POSTGRES = new Lazy<>("PostgreSQL", () ->
            Backend.current() == Backend.CONTAINERS ? ContainerPostgresServer.start() : EmbeddedPostgresServer.start());
    private static final Lazy<KafkaServer> KAFKA = new Lazy<>("Kafka", () ->
            Backend.current() == Backend.CONTAINERS ? ContainerKafkaServer.start() : EmbeddedKafkaServer.start());
    private static final Lazy<SurrealDbEndpoint> SURREALDB = new Lazy<>("SurrealDB", SharedServers::startSurrealDb);
    private static final Lazy<TestTokenIssuer> TOKENS = new Lazy<>("token issuer", TestTokenIssuer::start);

    private SharedServers() {
    }

    public static PostgresServer postgres() {
        return POSTGRES.get();
    }

    public static KafkaServer kafka() {
        return KAFKA.get();
    }

    public static SurrealDbEndpoint surrealDb() {
        return SURREALDB.get();
    }

    public static TestTokenIssuer tokens() {
        return TOKENS.get();
    }

    private static SurrealDbEndpoint startSurrealDb() {
        if (Backend.current() == Backend.CONTAINERS) {
            // RocksDB, not memory: the memory store loses concurrent updates of one record (surrealdb-engine's README).
            GenericContainer<?> container = new GenericContainer<>("surrealdb/surrealdb:v3")
                    .withCommand("start", "--user", "root", "--pass", "root", "rocksdb:/tmp/polystore")
                    .withExposedPorts(8000)
                    .waitingFor(Wait.forHttp("/health"));
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            return new SurrealDbEndpoint("http://" + container.getHost() + ":" + container.getMappedPort(8000), "root", "root");
        }
        SurrealDbServer server = SurrealDbServer.start(SurrealDbServer.Options.temporary());
        return new SurrealDbEndpoint(server.url(), server.username(), server.password());
    }

    /** Starts once, on first use, and registers the stop with the JVM. */
    private static final class Lazy<T> {
        private final String name;
        private final Supplier<T> starter;
        private T value;

        Lazy(String name, Supplier<T> starter) {
            this.name = name;
            this.starter = starter;
        }

        synchronized T get() {
            if (value == null) {
                long started = System.nanoTime();
                value = starter.get();
                log.info("{} started for this JVM in {} ms", name, (System.nanoTime() - started) / 1_000_000);
                if (value instanceof AutoCloseable closeable) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(closeable), "stop-" + name));
                }
            }
            return value;
        }

        private void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                log.warn("Stopping {} failed", name, e);
            }
        }
    }
}
