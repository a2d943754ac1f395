package io.polystore.deployment.support;

import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.platform.PackagedServices;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A deployment's configuration booted on this machine: the testkit's stores on the given ports (PostgreSQL
 * prepared by the caller as the deployment prepares its own, the Kafka broker, SurrealDB with the deployment's root
 * user), then the five packaged services. Closing stops the services, then the stores.
 */
public final class BootedDeployment implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BootedDeployment.class);

    private final Path work;
    private final List<AutoCloseable> stores = new ArrayList<>();
    private PackagedServices services;

    private BootedDeployment(Path work) {
        this.work = work;
    }

    /**
     * Starts the three stores in parallel, their data under {@code work}.
     *
     * @param postgres starts PostgreSQL as the deployment has it (on {@code ports.postgres()})
     */
    public static BootedDeployment startStores(Path work, PlatformPorts ports, Supplier<EmbeddedPostgresServer> postgres,
                                               String surrealDbUser, String surrealDbPassword) {
        BootedDeployment deployment = new BootedDeployment(work);
        var postgresStarting = CompletableFuture.supplyAsync(postgres);
        var kafkaStarting = CompletableFuture.supplyAsync(() -> KafkaBrokerProcess.start(work.resolve("kafka"), ports.kafka()));
        var surrealDbStarting = CompletableFuture.supplyAsync(() -> SurrealDbServer.start(
                SurrealDbServer.Options.onDisk(work.resolve("surrealdb")).withPort(ports.surrealDb())
                        .withCredentials(surrealDbUser, surrealDbPassword)));
        try {
            for (CompletableFuture<? extends AutoCloseable> store : List.of(postgresStarting, kafkaStarting, surrealDbStarting)) {
                deployment.stores.add(store.join());
            }
            return deployment;
        } catch (RuntimeException e) {
            List.of(postgresStarting, kafkaStarting, surrealDbStarting).forEach(store -> store.thenAccept(BootedDeployment::closeQuietly));
            throw e;
        }
    }

    /** Starts the five packaged services, each with exactly its environment; their logs go to {@code work/logs}. */
    public PackagedServices startServices(Path repository, Map<PlatformService, PackagedServices.Launch> launches) {
        services = PackagedServices.start(repository, work.resolve("logs"), launches, line -> log.info("{}", line));
        return services;
    }

    @Override
    public void close() {
        if (services != null) {
            services.close();
        }
        stores.reversed().forEach(BootedDeployment::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable store) {
        try {
            store.close();
        } catch (Exception e) {
            log.warn("Stopping {} failed", store, e);
        }
    }
}
