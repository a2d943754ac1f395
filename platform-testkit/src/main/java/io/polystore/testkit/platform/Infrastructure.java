package io.polystore.testkit.platform;

import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.kafka.KafkaCluster;
import io.polystore.testkit.kafka.KafkaServer;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.postgres.PostgresFailover;
import io.polystore.testkit.postgres.PostgresServer;
import io.polystore.testkit.postgres.ReplicatedPostgres;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import io.polystore.testkit.tls.LocalCertificates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The stores the platform runs on: PostgreSQL (one server, or a primary and a standby with automatic fail-over), Kafka
 * (one broker or a cluster of three) and the SurrealDB engine, each its own process with its data in a directory that
 * survives restarts. They do not depend on each other, so they start in parallel. A SurrealDB engine that dies is
 * started again on its data (the embedded engine has no replica to take over).
 */
public final class Infrastructure implements AutoCloseable {

    /** The PostgreSQL databases of order-service, sync-service, audit-service and the gateway. */
    static final List<String> DATABASES = List.of("orders", "sync", "audit", "gateway");
    /** How often the fail-over checks the PostgreSQL primary, and how many checks it may miss before the standby takes over. */
    static final Duration POSTGRES_CHECK_INTERVAL = Duration.ofSeconds(1);
    static final int POSTGRES_MISSED_CHECKS = 3;
    private static final Duration POSTGRES_STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration SURREALDB_CHECK_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    private final PostgresServer postgres;
    private final KafkaServer kafka;
    private final SurrealDbServer.Options surrealDbOptions;
    private final PostgresFailover failover;
    private final Consumer<String> progress;
    private final Thread surrealDbWatch;
    private volatile SurrealDbServer surrealDb;
    private volatile boolean closed;

    private Infrastructure(PostgresServer postgres, KafkaServer kafka, SurrealDbServer surrealDb,
                           SurrealDbServer.Options surrealDbOptions, Consumer<String> progress) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.surrealDb = surrealDb;
        this.surrealDbOptions = surrealDbOptions;
        this.progress = progress;
        this.failover = postgres instanceof ReplicatedPostgres replicated
                ? PostgresFailover.watch(replicated, POSTGRES_CHECK_INTERVAL, POSTGRES_MISSED_CHECKS, progress) : null;
        this.surrealDbWatch = Thread.ofPlatform().daemon().name("surrealdb-watch").start(this::watchSurrealDb);
    }

    /** One of each, as {@code ./polystore} runs by default. */
    public static Infrastructure start(Path dataDirectory, PlatformPorts ports, Consumer<String> progress) {
        return start(dataDirectory, ports, Topology.single(), Map.of(), null, progress);
    }

    /** One of each, with further PostgreSQL settings and TLS (see the full form). */
    public static Infrastructure start(Path dataDirectory, PlatformPorts ports, Map<String, String> postgresSettings,
                                       LocalCertificates tls, Consumer<String> progress) {
        return start(dataDirectory, ports, Topology.single(), postgresSettings, tls, progress);
    }

    /**
     * @param topology         one PostgreSQL or a primary and a standby, one Kafka broker or three
     * @param postgresSettings further PostgreSQL settings, such as WAL archiving into the backups
     * @param tls              every store serving TLS only when not null (one of each only, for now)
     * @param progress         told each part's readiness, as {@code "PostgreSQL on port 15432 up in 3.1 s"}, and each
     *                         fail-over and restart later on
     * @throws IllegalStateException naming the part that failed; whatever did start is stopped again
     */
    public static Infrastructure start(Path dataDirectory, PlatformPorts ports, Topology topology,
                                       Map<String, String> postgresSettings, LocalCertificates tls,
                                       Consumer<String> progress) {
        if (tls != null && (topology.postgresStandby() || topology.kafkaBrokers() > 1)) {
            throw new IllegalArgumentException("TLS runs with one PostgreSQL server and one Kafka broker only, not with"
                    + " a standby or a broker cluster (--tls with --ha is not supported yet)");
        }
        var postgres = timed(topology.postgresStandby()
                ? "PostgreSQL on ports " + ports.postgres() + " and " + ports.postgresStandby() + " (primary, standby)"
                : "PostgreSQL on port " + ports.postgres(), progress, () -> {
            PostgresServer server = topology.postgresStandby()
                    ? ReplicatedPostgres.start(dataDirectory.resolve("postgres"), ports.postgres(),
                            dataDirectory.resolve("postgres-standby"), ports.postgresStandby(), postgresSettings)
                    : EmbeddedPostgresServer.start(dataDirectory.resolve("postgres"), ports.postgres(), postgresSettings,
                            POSTGRES_STARTUP_WAIT, tls);
            DATABASES.forEach(server::createDatabaseIfMissing);
            return server;
        });
        var kafka = timed(topology.kafkaBrokers() == 1 ? "Kafka on port " + ports.kafka()
                : "Kafka, " + topology.kafkaBrokers() + " brokers from port " + ports.kafka(), progress, () -> topology.kafkaBrokers() == 1
                ? KafkaBrokerProcess.start(dataDirectory.resolve("kafka"), ports.kafka(), tls)
                : KafkaCluster.start(dataDirectory.resolve("kafka-cluster"),
                        IntStream.range(0, topology.kafkaBrokers()).mapToObj(ports::kafkaBroker).toList()));
        SurrealDbServer.Options surrealDbOptions = SurrealDbServer.Options.onDisk(dataDirectory.resolve("surrealdb"))
                .withPort(ports.surrealDb()).withTls(tls);
        var surrealDb = timed("SurrealDB on port " + ports.surrealDb(), progress, () -> SurrealDbServer.start(surrealDbOptions));
        try {
            CompletableFuture.allOf(postgres, kafka, surrealDb).join();
            return new Infrastructure(postgres.join(), kafka.join(), surrealDb.join(), surrealDbOptions, progress);
        } catch (CompletionException e) {
            List.of(postgres, kafka, surrealDb).forEach(part -> part.thenAccept(Infrastructure::closeQuietly));
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    public PostgresServer postgres() {
        return postgres;
    }

    /** The fail-over of PostgreSQL's primary, when it runs with a standby. */
    public Optional<PostgresFailover> postgresFailover() {
        return Optional.ofNullable(failover);
    }

    public KafkaServer kafka() {
        return kafka;
    }

    /** The SurrealDB engine now running: after a restart, another process on the same port and data. */
    public SurrealDbServer surrealDb() {
        return surrealDb;
    }

    /** Stops all three; services should be stopped first, so that they leave cleanly. */
    @Override
    public void close() {
        closed = true;
        surrealDbWatch.interrupt();
        if (failover != null) {
            failover.close();
        }
        List.of(surrealDb, kafka, postgres).forEach(Infrastructure::closeQuietly);
    }

    /**
     * SIGKILL to every store at once, as a power cut would stop them: the Kafka broker, the SurrealDB engine (not
     * started again) and PostgreSQL, postmaster and backends. Their data stays for a start on the same directory and
     * ports. One server of each only: the high-availability topology has its own faults (standby, broker cluster).
     */
    public void kill() {
        if (!(postgres instanceof EmbeddedPostgresServer server) || !(kafka instanceof KafkaBrokerProcess broker)) {
            throw new IllegalStateException("Only stores of one server each can be killed together, not " + postgres
                    + " and " + kafka);
        }
        closed = true;
        surrealDbWatch.interrupt();
        try {
            // Not a watch that starts the engine again while it is being killed.
            surrealDbWatch.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        broker.kill();
        surrealDb.kill();
        server.kill();
        // Only forgets the dead engine (its shutdown hook).
        surrealDb.close();
    }

    /** Starts the SurrealDB engine again, on its data and port, whenever it has died. */
    private void watchSurrealDb() {
        while (!closed) {
            try {
                Thread.sleep(SURREALDB_CHECK_INTERVAL);
                SurrealDbServer current = surrealDb;
                if (!closed && !current.isAlive()) {
                    long begin = System.nanoTime();
                    current.close();
                    surrealDb = SurrealDbServer.start(surrealDbOptions);
                    progress.accept(String.format("SurrealDB on port %d had stopped: started again in %.1f s",
                            surrealDb.port(), (System.nanoTime() - begin) / 1e9));
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Starting SurrealDB again failed; trying again: {}", e.getMessage());
            }
        }
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
