package io.polystore.testkit.platform;

import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The stores the platform runs on: PostgreSQL, the Kafka broker and the SurrealDB engine, each its own process with
 * its data in a directory that survives restarts. They do not depend on each other, so they start in parallel.
 */
public final class Infrastructure implements AutoCloseable {

    /** The PostgreSQL databases of order-service, sync-service, audit-service and the gateway. */
    static final List<String> DATABASES = List.of("orders", "sync", "audit", "gateway");

    private final EmbeddedPostgresServer postgres;
    private final KafkaBrokerProcess kafka;
    private final SurrealDbServer surrealDb;

    private Infrastructure(EmbeddedPostgresServer postgres, KafkaBrokerProcess kafka, SurrealDbServer surrealDb) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.surrealDb = surrealDb;
    }

    /**
     * @param progress told each part's readiness, as {@code "PostgreSQL on port 15432 up in 3.1 s"}
     * @throws IllegalStateException naming the part that failed; whatever did start is stopped again
     */
    public static Infrastructure start(Path dataDirectory, PlatformPorts ports, Consumer<String> progress) {
        var postgres = timed("PostgreSQL on port " + ports.postgres(), progress, () -> {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"), ports.postgres());
            DATABASES.forEach(server::createDatabaseIfMissing);
            return server;
        });
        var kafka = timed("Kafka on port " + ports.kafka(), progress,
                () -> KafkaBrokerProcess.start(dataDirectory.resolve("kafka"), ports.kafka()));
        var surrealDb = timed("SurrealDB on port " + ports.surrealDb(), progress, () -> SurrealDbServer.start(
                SurrealDbServer.Options.onDisk(dataDirectory.resolve("surrealdb")).withPort(ports.surrealDb())));
        try {
            CompletableFuture.allOf(postgres, kafka, surrealDb).join();
            return new Infrastructure(postgres.join(), kafka.join(), surrealDb.join());
        } catch (CompletionException e) {
            List.of(postgres, kafka, surrealDb).forEach(part -> part.thenAccept(Infrastructure::closeQuietly));
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public KafkaBrokerProcess kafka() {
        return kafka;
    }

    public SurrealDbServer surrealDb() {
        return surrealDb;
    }

    /** Stops all three; services should be stopped first, so that they leave cleanly. */
    @Override
    public void close() {
        List.of(surrealDb, kafka, postgres).forEach(Infrastructure::closeQuietly);
    }

    private static <T extends AutoCloseable> CompletableFuture<T> timed(String what, Consumer<String> progress,
                                                                       Supplier<T> starter) {
        return CompletableFuture.supplyAsync(() -> {
            long begin = System.nanoTime();
            T server = starter.get();
            progress.accept(String.format("%-32s up in %5.1f s", what, (System.nanoTime() - begin) / 1e9));
            return server;
        }, runnable -> Thread.ofPlatform().name("start " + what).start(runnable));
    }

    private static void closeQuietly(AutoCloseable part) {
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("Stopping " + part + " failed: " + e.getMessage());
        }
    }
}
