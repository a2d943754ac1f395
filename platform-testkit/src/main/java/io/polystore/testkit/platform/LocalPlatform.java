package io.polystore.testkit.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The whole platform on this machine, with no Docker: the {@link Infrastructure} and the five services, each its own
 * JVM with the {@code local} profile, on configurable ports and with all data in one directory. The one place that
 * knows how the services are started: {@code ./polystore} runs {@link #main}, the end-to-end tests call
 * {@link #start}.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /** Small heaps and the serial collector: five JVMs share the machine with the stores. */
    static final List<String> SERVICE_JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** A system property that replaces {@link #SERVICE_JVM_OPTIONS} (options separated by spaces), to compare others. */
    public static final String SERVICE_JVM_OPTIONS_PROPERTY = "polystore.services.jvm-options";

    private final Options options;
    private final Infrastructure infrastructure;
    private final Map<PlatformService, ServiceProcess> services;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "stop-platform");

    /**
     * @param repository    the project's root, where each service's jar is in {@code <module>/target/}
     * @param dataDirectory where the stores, keys, tokens and logs are kept across starts
     * @param ports         where everything listens
     * @param progress      told each step, for people watching
     * @param serviceProperties Spring properties given to every service (e.g. where to export traces), after the
     *                          launcher's own
     */
    public record Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress,
                          Map<String, String> serviceProperties) {

        public Options {
            repository = repository.toAbsolutePath().normalize();
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
            serviceProperties = Map.copyOf(serviceProperties);
        }

        public Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress) {
            this(repository, dataDirectory, ports, progress, Map.of());
        }
    }

    private LocalPlatform(Options options, Infrastructure infrastructure, Map<PlatformService, ServiceProcess> services) {
        this.options = options;
        this.infrastructure = infrastructure;
        this.services = services;
    }

    /**
     * Starts the stores in parallel, then the five services in parallel, and returns when every service is ready.
     * A JVM shutdown hook stops everything if {@link #close()} is never called.
     *
     * @throws IllegalStateException when a port is taken or a part does not start; the message says which and why,
     *                               and whatever had started is stopped again
     */
    public static LocalPlatform start(Options options) {
        options.ports().requireFree();
        Path logs = options.dataDirectory().resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + logs, e);
        }
        Infrastructure infrastructure = Infrastructure.start(options.dataDirectory(), options.ports(), options.progress());
        Map<PlatformService, ServiceProcess> services = new EnumMap<>(PlatformService.class);
        LocalPlatform platform = new LocalPlatform(options, infrastructure, services);
        Runtime.getRuntime().addShutdownHook(platform.shutdownHook);
        try {
            String masterKey = orderServiceMasterKey(options);
            for (PlatformService service : PlatformService.values()) {
                services.put(service, new ServiceProcess(platform.spec(service, masterKey)).start());
            }
            ServiceProcess.awaitAllReady(services.values(), READY_TIMEOUT, options.progress());
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    public ServiceProcess service(PlatformService service) {
        return services.get(service);
    }

    /** For example {@code http://localhost:8080}: the only address clients use. */
    public URI gatewayUrl() {
        return URI.create("http://localhost:" + options.ports().gateway());
    }

    public PlatformPorts ports() {
        return options.ports();
    }

    public Path dataDirectory() {
        return options.dataDirectory();
    }

    /** Where the gateway writes a 12-hour token per demo user's role, {@code <ROLE>.jwt}. */
    public Path tokensDirectory() {
        return options.dataDirectory().resolve("tokens");
    }

    /** The demo user's token for a role (CUSTOMER is alice, CATALOG_MANAGER carol, ...), as the gateway wrote it. */
    public String demoToken(String role) {
        try {
            return Files.readString(tokensDirectory().resolve(role + ".jwt"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("The gateway wrote no token for " + role + " into " + tokensDirectory(), e);
        }
    }

    /**
     * Resident memory of everything the platform runs: this JVM, the services, the Kafka broker, the SurrealDB
     * engine and PostgreSQL (which runs detached, so it is found by its {@code postmaster.pid}).
     */
    public long residentMemoryBytes() {
        Set<Long> roots = new HashSet<>(Set.of(ProcessHandle.current().pid()));
        postmasterPid().ifPresent(roots::add);
        return ResidentMemory.ofTrees(roots);
    }

    /** Stops the services (SIGTERM, in parallel, each draining gracefully), then the stores. */
    @Override
    public synchronized void close() {
        // Synchronized: a second caller (the shutdown hook) returns only once everything has stopped.
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // This is the hook running.
        }
        ServiceProcess.stopAll(services.values());
        infrastructure.close();
    }

    private ServiceProcess.Spec spec(PlatformService service, String masterKey) {
        PlatformPorts ports = options.ports();
        String gateway = "http://localhost:" + ports.gateway();
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local",
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + ports.kafka()));
        Map<String, String> environment = new HashMap<>();
        switch (service) {
            case GATEWAY -> {
                arguments.addAll(datasource(ports, "gateway"));
                arguments.addAll(List.of(
                        // The issuer is the gateway's own address, so that it follows the gateway's port.
                        "--polystore.identity.issuer-uri=" + gateway,
                        "--polystore.identity.development-key-file=" + options.dataDirectory().resolve("gateway-signing-key.json"),
                        "--polystore.identity.demo-tokens-directory=" + tokensDirectory(),
                        "--polystore.services.orders=http://localhost:" + ports.orders(),
                        "--polystore.services.catalog=http://localhost:" + ports.catalog(),
                        "--polystore.services.sync=http://localhost:" + ports.sync(),
                        "--polystore.services.audit=http://localhost:" + ports.audit()));
            }
            case ORDERS -> {
                arguments.addAll(datasource(ports, "orders"));
                environment.put("POLYSTORE_PERSONALDATA_MASTERKEY", masterKey);
            }
            case CATALOG -> arguments.add("--polystore.surrealdb.url=http://127.0.0.1:" + ports.surrealDb());
            case SYNC -> {
                arguments.addAll(datasource(ports, "sync"));
                arguments.addAll(List.of("--polystore.surrealdb.url=http://127.0.0.1:" + ports.surrealDb(),
                        // The relay reads order-service's WAL.
                        "--polystore.sync.postgres.port=" + ports.postgres(),
                        "--polystore.sync.postgres.username=postgres", "--polystore.sync.postgres.password=postgres"));
            }
            case AUDIT -> arguments.addAll(datasource(ports, "audit"));
        }
        options.serviceProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        if (service != PlatformService.GATEWAY) {
            // The services trust the gateway's tokens.
            environment.put("POLYSTORE_ISSUER_URI", gateway);
        }
        return new ServiceProcess.Spec(service.moduleName(), service.jar(options.repository()), service.port(ports), serviceJvmOptions(),
                arguments, environment, options.dataDirectory().resolve("logs").resolve(service.moduleName() + ".log"));
    }

    private static List<String> serviceJvmOptions() {
        String configured = System.getProperty(SERVICE_JVM_OPTIONS_PROPERTY, "").strip();
        return configured.isEmpty() ? SERVICE_JVM_OPTIONS : List.of(configured.split("\\s+"));
    }

    private static List<String> datasource(PlatformPorts ports, String database) {
        return List.of("--spring.datasource.url=jdbc:postgresql://localhost:" + ports.postgres() + "/" + database,
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
    }

    /**
     * order-service's master key for personal data, made once by its own {@code MasterKeyTool} and kept with the
     * data: a new key at each start would leave the stored customer keys unreadable.
     */
    private static String orderServiceMasterKey(Options options) {
        Path file = options.dataDirectory().resolve("order-service-master-key");
        try {
            if (Files.isRegularFile(file) && Files.size(file) > 0) {
                return Files.readString(file).strip();
            }
            Path jar = PlatformService.ORDERS.jar(options.repository());
            Path output = options.dataDirectory().resolve("logs").resolve("master-key-tool.log");
            Process tool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dloader.main=io.polystore.order.personaldata.MasterKeyTool", "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher", "new")
                    .redirectError(output.toFile()).start();
            String key = new String(tool.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (tool.waitFor() != 0 || key.isEmpty()) {
                throw new IllegalStateException("order-service's MasterKeyTool made no key; see " + output);
            }
            Files.writeString(file, key + "\n");
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make order-service's master key in " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while making order-service's master key", e);
        }
    }

    private Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(options.dataDirectory().resolve("postgres").resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code ./polystore}: starts the platform on the default ports (the stores' overridable with
     * {@code POLYSTORE_POSTGRES_PORT}, {@code POLYSTORE_KAFKA_PORT}, {@code POLYSTORE_SURREALDB_PORT}), loads the demo
     * catalog into an empty catalog, prints how to use it, and runs until this JVM is told to stop.
     *
     * @param args the data directory, {@code .polystore} if none
     */
    public static void main(String[] args) throws InterruptedException {
        LocalPlatformCommand.run(args);
    }
}
