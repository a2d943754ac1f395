package io.polystore.testkit.platform;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The packaged services started with exactly the environment a deployment gives them, as a container or a pod would
 * get it: each jar runs as its own JVM whose environment is the given map and nothing of this JVM's. No profile, no
 * argument but the port; the stores are the caller's. This is how {@code docker-compose.yml} and the Helm chart are
 * shown to boot the real services: a misspelt or missing variable fails here as it would there.
 *
 * <pre>{@code
 * try (PackagedServices services = PackagedServices.start(repository, logs, Map.of(
 *         PlatformService.GATEWAY, new PackagedServices.Launch(gatewayPort, gatewayEnvironment), ...), progress)) {
 *     new GatewayClient(services.gatewayUrl()).get("/api/orders", token);
 * }
 * }</pre>
 */
public final class PackagedServices implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

    private final Map<PlatformService, ServiceProcess> services;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "stop-packaged-services");

    /**
     * How one service runs.
     *
     * @param port        the HTTP port it listens on, given as {@code --server.port} (it wins over the environment)
     * @param environment the service's whole environment
     */
    public record Launch(int port, Map<String, String> environment) {

        public Launch {
            environment = Map.copyOf(environment);
        }
    }

    private PackagedServices(Map<PlatformService, ServiceProcess> services) {
        this.services = services;
    }

    /**
     * Starts the given services in parallel and returns when every one is ready (its readiness probe answers 200).
     * A JVM shutdown hook stops them if {@link #close()} is never called.
     *
     * @param repository   the project's root, where each service's jar is in {@code <module>/target/}
     * @param logDirectory where each service's output goes, {@code <module>.log}
     * @param progress     told each service's time to ready
     * @throws IllegalStateException when a service exits or is not ready within three minutes, quoting why from its
     *                               log (Spring Boot's failure analysis, e.g. the store it cannot reach); every
     *                               service is stopped again
     */
    public static PackagedServices start(Path repository, Path logDirectory, Map<PlatformService, Launch> launches,
                                         Consumer<String> progress) {
        Map<PlatformService, ServiceProcess> services = new EnumMap<>(PlatformService.class);
        PackagedServices started = new PackagedServices(services);
        Runtime.getRuntime().addShutdownHook(started.shutdownHook);
        try {
            launches.forEach((service, launch) -> services.put(service, new ServiceProcess(new ServiceProcess.Spec(
                    service.moduleName(), service.jar(repository), launch.port(), LocalPlatform.SERVICE_JVM_OPTIONS,
                    List.of(), launch.environment(), false,
                    logDirectory.resolve(service.moduleName() + ".log"))).start()));
            ServiceProcess.awaitAllReady(services.values(), READY_TIMEOUT, progress);
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    /** @throws IllegalArgumentException when the service was not started */
    public ServiceProcess service(PlatformService service) {
        ServiceProcess process = services.get(service);
        if (process == null) {
            throw new IllegalArgumentException(service.moduleName() + " was not started");
        }
        return process;
    }

    /** The gateway on this machine, {@code http://localhost:<its port>}. */
    public URI gatewayUrl() {
        return URI.create("http://localhost:" + service(PlatformService.GATEWAY).port());
    }

    /** Stops every service (SIGTERM, in parallel, each draining gracefully). */
    @Override
    public synchronized void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // This is the hook running.
        }
        ServiceProcess.stopAll(services.values());
    }
}
