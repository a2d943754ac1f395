package io.polystore.testkit.local;

import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * The stores the local platform runs on: PostgreSQL, the Kafka broker and the SurrealDB engine, each as its own
 * process with its data kept. Tokens come from the gateway.
 * {@code ./polystore} starts it, waits for its "ready" line, then starts the services against it.
 */
public final class LocalInfrastructure {

    static final List<String> DATABASES = List.of("orders", "sync", "audit");

    record Ports(int postgres, int kafka, int surrealDb) {
    }

    public static void main(String[] args) throws Exception {
        Path dataDirectory = Path.of(args.length > 0 ? args[0] : ".polystore").toAbsolutePath();
        Ports ports = new Ports(port("POLYSTORE_POSTGRES_PORT", 15432), port("POLYSTORE_KAFKA_PORT", 19092),
                port("POLYSTORE_SURREALDB_PORT", 18000));
        Deque<AutoCloseable> started = new ArrayDeque<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(started), "stop-infrastructure"));

        EmbeddedPostgresServer postgres = timed("PostgreSQL on port " + ports.postgres(), started,
                () -> EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"), ports.postgres()));
        DATABASES.forEach(postgres::createDatabaseIfMissing);
        timed("Kafka on port " + ports.kafka(), started,
                () -> KafkaBrokerProcess.start(dataDirectory.resolve("kafka"), ports.kafka()));
        timed("SurrealDB on port " + ports.surrealDb(), started, () -> SurrealDbServer.start(
                SurrealDbServer.Options.onDisk(dataDirectory.resolve("surrealdb")).withPort(ports.surrealDb())));

        System.out.println("polystore-infrastructure ready");
        new CountDownLatch(1).await(); // until the shutdown hook stops everything
    }

    private static <T extends AutoCloseable> T timed(String what, Deque<AutoCloseable> started, Supplier<T> starter) {
        long begin = System.nanoTime();
        T server = starter.get();
        started.push(server);
        System.out.printf("  %-28s up in %5.1f s%n", what, (System.nanoTime() - begin) / 1e9);
        return server;
    }

    private static void stopAll(Deque<AutoCloseable> started) {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("Stopping failed: " + e.getMessage());
            }
        }
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.trim());
    }
}
