package io.polystore.testkit.platform;

import io.polystore.testkit.backup.BackupLayout;
import io.polystore.testkit.backup.BackupSchedule;
import io.polystore.testkit.backup.ContinuousBackup;
import io.polystore.testkit.backup.PlatformBackups;
import io.polystore.testkit.backup.PlatformRestore;
import io.polystore.testkit.postgres.ReplicatedPostgres;
import io.polystore.testkit.tls.LocalCertificates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The whole platform on this machine, with no Docker: the {@link Infrastructure} and the five services, each its own
 * JVM with the {@code local} profile (as many instances of each as the {@link Topology} says), on configurable ports
 * and with all data in one directory. The one place that knows how the services are started: {@code ./polystore} runs
 * {@link #main}, the end-to-end tests call {@link #start}.
 */
public final class LocalPlatform implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Small heaps and the serial collector: five JVMs share the machine with the stores. A heap that starts at 64 MiB
     * (not a 64th of the machine's memory) and, from JDK 25, compact object headers took each service's resident
     * memory from about 290 to 235 MiB after start-up (issue 15, PlatformFootprintBenchmark).
     */
    static final List<String> SERVICE_JVM_OPTIONS = Runtime.version().feature() >= 25
            ? List.of("-Xmx256m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:+UseCompactObjectHeaders")
            : List.of("-Xmx256m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    /** A system property that replaces {@link #SERVICE_JVM_OPTIONS} (options separated by spaces), to compare others. */
    public static final String SERVICE_JVM_OPTIONS_PROPERTY = "polystore.services.jvm-options";

    /** The SSL bundle every service is given with TLS ({@code polystore.tls.bundle}). */
    private static final String TLS_BUNDLE = "polystore";

    private final Options options;
    private final Infrastructure infrastructure;
    private final Map<PlatformService, List<ServiceProcess>> services;
    private final LocalCertificates certificates;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook = new Thread(this::close, "stop-platform");
    private volatile ContinuousBackup backup;

    /**
     * @param repository    the project's root, where each service's jar is in {@code <module>/target/}
     * @param dataDirectory where the stores, keys, tokens and logs are kept across starts
     * @param ports         where everything listens
     * @param progress      told each step, for people watching
     * @param serviceProperties Spring properties given to every service (e.g. where to export traces), after the
     *                          launcher's own
     * @param topology      how many instances of each service, and of the stores
     * @param tls           TLS on every hop: a local CA and host certificate in {@code <dataDirectory>/tls}, made
     *                      on the first start and kept; the stores serve TLS only, the services HTTPS only, and
     *                      every client verifies the server against the CA (one of each store only, for now)
     */
    public record Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress,
                          Map<String, String> serviceProperties, Topology topology, boolean tls) {

        public Options {
            repository = repository.toAbsolutePath().normalize();
            dataDirectory = dataDirectory.toAbsolutePath().normalize();
            serviceProperties = Map.copyOf(serviceProperties);
        }

        public Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress,
                       Map<String, String> serviceProperties) {
            this(repository, dataDirectory, ports, progress, serviceProperties, Topology.single(), false);
        }

        public Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress,
                       Map<String, String> serviceProperties, boolean tls) {
            this(repository, dataDirectory, ports, progress, serviceProperties, Topology.single(), tls);
        }

        public Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress,
                       Map<String, String> serviceProperties, Topology topology) {
            this(repository, dataDirectory, ports, progress, serviceProperties, topology, false);
        }

        public Options(Path repository, Path dataDirectory, PlatformPorts ports, Consumer<String> progress) {
            this(repository, dataDirectory, ports, progress, Map.of());
        }

        /** The same, with TLS on every hop. */
        public Options withTls() {
            return new Options(repository, dataDirectory, ports, progress, serviceProperties, topology, true);
        }
    }

    private LocalPlatform(Options options, Infrastructure infrastructure, Map<PlatformService, List<ServiceProcess>> services,
                          LocalCertificates certificates) {
        this.options = options;
        this.infrastructure = infrastructure;
        this.services = services;
        this.certificates = certificates;
    }

    /**
     * Starts the stores in parallel, then the five services in parallel, and returns when every service is ready.
     * A JVM shutdown hook stops everything if {@link #close()} is never called.
     *
     * @throws IllegalStateException when a port is taken or a part does not start; the message says which and why,
     *                               and whatever had started is stopped again
     */
    public static LocalPlatform start(Options options) {
        return start(options, infrastructure -> { });
    }

    /** @param beforeServices run once the stores are up, before any service starts */
    private static LocalPlatform start(Options options, Consumer<Infrastructure> beforeServices) {
        options.ports().requireFree(options.topology());
        Path logs = options.dataDirectory().resolve("logs");
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + logs, e);
        }
        LocalCertificates certificates = options.tls() ? LocalCertificates.in(options.dataDirectory().resolve("tls")) : null;
        BackupSchedule schedule = BackupSchedule.fromEnvironment(System.getenv());
        // The backups archive one server's WAL: not with a standby (whose promotion moves the primary elsewhere).
        boolean backedUp = !options.topology().postgresStandby();
        Infrastructure infrastructure = Infrastructure.start(options.dataDirectory(), options.ports(), options.topology(),
                backedUp ? PlatformBackups.archivingSettings(backupLayout(options.dataDirectory()), schedule.archiveTimeout())
                        : Map.of(),
                certificates, options.progress());
        Map<PlatformService, List<ServiceProcess>> services = new EnumMap<>(PlatformService.class);
        LocalPlatform platform = new LocalPlatform(options, infrastructure, services, certificates);
        Runtime.getRuntime().addShutdownHook(platform.shutdownHook);
        try {
            if (backedUp) {
                platform.backups().configureArchiving();
            }
            beforeServices.accept(infrastructure);
            String masterKey = orderServiceMasterKey(options);
            for (PlatformService service : PlatformService.values()) {
                List<ServiceProcess> instances = new ArrayList<>();
                for (int instance = 0; instance < options.topology().replicas(); instance++) {
                    instances.add(new ServiceProcess(platform.spec(service, instance, masterKey)).start());
                }
                services.put(service, List.copyOf(instances));
            }
            ServiceProcess.awaitAllReady(platform.allServices(), READY_TIMEOUT, options.progress());
            // After the services: catalog-service's migrations give the catalog its change feeds.
            // The backups reach SurrealDB over plain HTTP: with TLS (--tls) the platform runs without them.
            if (certificates == null && backedUp) {
                platform.backup = ContinuousBackup.start(platform.backups(), schedule);
            }
            return platform;
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    /** A restarted platform and what its restore did. */
    public record Restored(LocalPlatform platform, PlatformRestore.Report report) {
    }

    /**
     * Restores the stores of a stopped platform from its backups (see {@link PlatformRestore}) to the newest point,
     * or to {@code target}, then starts it.
     */
    public static Restored restore(Options options, Instant target) {
        options.ports().requireFree();
        BackupSchedule schedule = BackupSchedule.fromEnvironment(System.getenv());
        PlatformPorts ports = options.ports();
        PlatformRestore restore = new PlatformRestore(options.dataDirectory(), backupLayout(options.dataDirectory()),
                ports.postgres(), ports.surrealDb(),
                PlatformBackups.archivingSettings(backupLayout(options.dataDirectory()), schedule.archiveTimeout()),
                options.progress());
        PlatformRestore.Report stores = restore.restore(target);
        long begin = System.nanoTime();
        AtomicReference<PlatformRestore.Report> report = new AtomicReference<>(stores);
        LocalPlatform platform = start(options,
                infrastructure -> report.set(restore.resetKafka(stores, infrastructure.kafka().bootstrapServers())));
        options.progress().accept(String.format("%-70s %6.1f s", "stores and services started",
                (System.nanoTime() - begin) / 1e9));
        return new Restored(platform, report.get());
    }

    /** Where this platform's backups are: {@code <data>/backups}. */
    public static BackupLayout backupLayout(Path dataDirectory) {
        return new BackupLayout(dataDirectory.resolve("backups"));
    }

    /** The running platform's backups, for taking one now. */
    public PlatformBackups backups() {
        return new PlatformBackups(backupLayout(options.dataDirectory()), options.dataDirectory().resolve("postgres"),
                infrastructure.postgres().jdbcUrl("postgres"), infrastructure.surrealDb().url());
    }

    /** The service's first instance. */
    public ServiceProcess service(PlatformService service) {
        return services.get(service).getFirst();
    }

    /** Every instance of the service, the first first. */
    public List<ServiceProcess> instances(PlatformService service) {
        return services.get(service);
    }

    /** For example {@code http://localhost:8080}, or {@code https://localhost:8080} with TLS: the first gateway instance, the address clients use. */
    public URI gatewayUrl() {
        return gatewayUrl(0);
    }

    /** The address of one gateway instance: 0 is the first. */
    public URI gatewayUrl(int instance) {
        return URI.create(serviceUrl(options.ports().port(PlatformService.GATEWAY, instance)));
    }

    /** A client of the gateway, trusting the local CA when the platform runs with TLS. */
    public GatewayClient gateway() {
        return new GatewayClient(gatewayUrl(), certificates == null ? null : certificates.clientContext());
    }

    /**
     * A client of every gateway instance, as clients behind a load balancer reach them: in turn, and another instance
     * when one cannot be reached (see {@link GatewayClient#GatewayClient(List, javax.net.ssl.SSLContext)}).
     */
    public GatewayClient balancedGateway() {
        return new GatewayClient(IntStream.range(0, options.topology().replicas()).mapToObj(this::gatewayUrl).toList(),
                certificates == null ? null : certificates.clientContext());
    }

    /** The local CA and host certificate when the platform runs with TLS. */
    public Optional<LocalCertificates> certificates() {
        return Optional.ofNullable(certificates);
    }

    public Infrastructure infrastructure() {
        return infrastructure;
    }

    public Topology topology() {
        return options.topology();
    }

    public PlatformPorts ports() {
        return options.ports();
    }

    /** How this platform was started: a restore starts it again the same way. */
    public Options options() {
        return options;
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
     * Resident memory of everything the platform runs: this JVM, the services, the Kafka brokers, the SurrealDB
     * engine and PostgreSQL (which runs detached, so it is found by its {@code postmaster.pid}).
     */
    public long residentMemoryBytes() {
        Set<Long> roots = new HashSet<>(Set.of(ProcessHandle.current().pid()));
        roots.addAll(postgresPids());
        return ResidentMemory.ofTrees(roots);
    }

    /** PostgreSQL's servers, which run detached from this JVM: their {@code postmaster.pid}s. */
    Set<Long> postgresPids() {
        Set<Long> pids = new HashSet<>();
        for (String directory : List.of("postgres", "postgres-standby")) {
            postmasterPid(directory).ifPresent(pids::add);
        }
        return pids;
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
        if (backup != null) {
            backup.close();
        }
        ServiceProcess.stopAll(allServices());
        infrastructure.close();
    }

    /**
     * Stops the platform as a power cut or a lost data centre would: SIGKILL to every service instance at once,
     * mid-request and mid-transaction, then to the stores ({@link Infrastructure#kill()}). Nothing is stopped cleanly
     * and nothing starts again by itself; the data stays in {@link #dataDirectory()}, and {@code start(options())}
     * starts the platform again on it and on the same ports. {@link #close()} does nothing afterwards. One server of
     * each store only (not the high-availability topology).
     */
    public synchronized void kill() {
        if (!closed.compareAndSet(false, true)) {
            throw new IllegalStateException("The platform in " + dataDirectory() + " is already stopped");
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is stopping anyway.
        }
        ServiceProcess.killAll(allServices());
        infrastructure.kill();
        // The backups' schedule runs in this JVM: it ends with the platform (after the stores, so no backup waits on them).
        if (backup != null) {
            backup.close();
        }
    }

    private List<ServiceProcess> allServices() {
        return services.values().stream().flatMap(List::stream).toList();
    }

    /** @param instance 0 for the first instance of the service */
    private ServiceProcess.Spec spec(PlatformService service, int instance, String masterKey) {
        PlatformPorts ports = options.ports();
        Topology topology = options.topology();
        // Every gateway instance issues tokens under the first one's address, with the same keys: one issuer.
        String gateway = serviceUrl(ports.gateway());
        String surrealDb = (certificates == null ? "http" : "https") + "://127.0.0.1:" + ports.surrealDb();
        List<String> arguments = new ArrayList<>(List.of("--spring.profiles.active=local",
                "--spring.kafka.bootstrap-servers=" + infrastructure.kafka().bootstrapServers(),
                "--polystore.kafka.replication-factor=" + topology.topicReplicas(),
                "--polystore.kafka.min-insync-replicas=" + topology.minInSyncReplicas(),
                // Each instance runs its share of the consumers: none without a partition to read.
                "--polystore.kafka.instances=" + topology.replicas(),
                // Every JVM of the platform starts at once on one machine: on two busy cores a cold JVM's start-up
                // check of Kafka took 5 to 8 s over TLS and more than 10 s with ten JVMs (--ha, first start).
                "--polystore.startup.kafka-timeout=30s"));
        if (certificates != null) {
            // One bundle for every hop (platform-service-defaults): HTTPS, and the CA as the only trust of the
            // calls to other services, the issuer, Kafka and SurrealDB. PostgreSQL's trust is in its URLs.
            certificates.springBundle(TLS_BUNDLE).forEach((name, value) -> arguments.add("--" + name + "=" + value));
            arguments.addAll(List.of("--polystore.tls.bundle=" + TLS_BUNDLE, "--spring.kafka.security.protocol=SSL"));
        }
        Map<String, String> environment = new HashMap<>();
        switch (service) {
            case GATEWAY -> {
                arguments.addAll(datasource("gateway"));
                arguments.addAll(List.of(
                        // The issuer is the gateway's own address, so that it follows the gateway's port.
                        "--polystore.identity.issuer-uri=" + gateway,
                        "--polystore.identity.development-key-file=" + options.dataDirectory().resolve("gateway-signing-key.json"),
                        "--polystore.services.orders=" + serviceUrl(ports.orders()),
                        "--polystore.services.catalog=" + serviceUrl(ports.catalog()),
                        "--polystore.services.sync=" + serviceUrl(ports.sync()),
                        "--polystore.services.audit=" + serviceUrl(ports.audit())));
                if (topology.replicas() > 1) {
                    for (PlatformService upstream : List.of(PlatformService.ORDERS, PlatformService.CATALOG,
                            PlatformService.SYNC, PlatformService.AUDIT)) {
                        arguments.add("--polystore.gateway.routing.instances." + upstreamName(upstream) + "="
                                + instanceUrls(upstream));
                    }
                }
                if (instance == 0) {
                    arguments.add("--polystore.identity.demo-tokens-directory=" + tokensDirectory());
                }
            }
            case ORDERS -> {
                arguments.addAll(datasource("orders"));
                // The subject access export reads the audit trail's records about the customer.
                arguments.add("--polystore.access.audit-service-url=" + serviceUrl(ports.audit()));
                environment.put("POLYSTORE_PERSONALDATA_MASTERKEY", masterKey);
                // Outside the data the stores keep, so that a restore cannot undo an erasure.
                arguments.add("--polystore.personal-data.erasure-log=" + backupLayout(options.dataDirectory()).erasureLog());
            }
            case CATALOG -> arguments.add("--polystore.surrealdb.url=" + surrealDb);
            case SYNC -> {
                arguments.addAll(datasource("sync"));
                arguments.addAll(List.of("--polystore.surrealdb.url=" + surrealDb,
                        // The relay reads order-service's WAL, on the primary among the servers.
                        "--polystore.sync.postgres.host=" + (infrastructure.postgres() instanceof ReplicatedPostgres replicated
                                ? replicated.hosts() : "localhost"),
                        "--polystore.sync.postgres.port=" + ports.postgres(),
                        "--polystore.sync.postgres.username=postgres", "--polystore.sync.postgres.password=postgres"));
                if (certificates != null) {
                    arguments.addAll(List.of("--polystore.sync.postgres.ssl-mode=verify-full",
                            "--polystore.sync.postgres.ssl-root-cert=" + certificates.caCertificate()));
                }
            }
            case AUDIT -> arguments.addAll(datasource("audit"));
        }
        options.serviceProperties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
        if (service != PlatformService.GATEWAY) {
            // The services trust the gateway's tokens.
            environment.put("POLYSTORE_ISSUER_URI", gateway);
        }
        String name = service.moduleName() + (instance == 0 ? "" : "-" + (instance + 1));
        ClassDataSharing.Launch launch = ClassDataSharing.prepare(service.jar(options.repository()),
                options.dataDirectory().resolve("jvm").resolve(service.moduleName()), name);
        List<String> jvmOptions = new ArrayList<>(serviceJvmOptions());
        jvmOptions.addAll(launch.jvmOptions());
        return new ServiceProcess.Spec(name, launch.jar(), ports.port(service, instance), jvmOptions,
                arguments, environment, true, options.dataDirectory().resolve("logs").resolve(name + ".log"),
                certificates == null ? null : certificates.clientContext());
    }

    private static List<String> serviceJvmOptions() {
        String configured = System.getProperty(SERVICE_JVM_OPTIONS_PROPERTY, "").strip();
        return configured.isEmpty() ? SERVICE_JVM_OPTIONS : List.of(configured.split("\\s+"));
    }

    /** The gateway's name for the service ({@code polystore.services.<name>}). */
    private static String upstreamName(PlatformService service) {
        return switch (service) {
            case ORDERS -> "orders";
            case CATALOG -> "catalog";
            case SYNC -> "sync";
            case AUDIT -> "audit";
            case GATEWAY -> throw new IllegalArgumentException("The gateway is no upstream of itself");
        };
    }

    /** Every instance's address, separated by commas: the gateway balances across them. */
    private String instanceUrls(PlatformService service) {
        return IntStream.range(0, options.topology().replicas())
                .mapToObj(instance -> serviceUrl(options.ports().port(service, instance)))
                .collect(Collectors.joining(","));
    }

    private List<String> datasource(String database) {
        return List.of("--spring.datasource.url=" + infrastructure.postgres().jdbcUrl(database),
                "--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
    }

    /** A service on this machine: {@code http://localhost:<port>}, or {@code https://} with TLS. */
    private String serviceUrl(int port) {
        return (certificates == null ? "http" : "https") + "://localhost:" + port;
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

    private Optional<Long> postmasterPid(String directory) {
        try {
            List<String> lines = Files.readAllLines(options.dataDirectory().resolve(directory).resolve("postmaster.pid"));
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
