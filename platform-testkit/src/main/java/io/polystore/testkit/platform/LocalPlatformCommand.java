package io.polystore.testkit.platform;

import io.polystore.testkit.tls.LocalCertificates;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

/** What {@code ./polystore} runs: start, load the demo catalog, say how to use it, run until stopped. */
final class LocalPlatformCommand {

    private LocalPlatformCommand() {
    }

    /**
     * {@code [data directory] [run | backup | restore [instant]] [--tls] [--replicas <n>] [--ha] [--regions <n>]}:
     * {@code --replicas} sets the instances per service, {@code --ha} runs two instances per service unless more are
     * asked for, PostgreSQL primary and standby, and three Kafka brokers; {@code --regions} runs that many regions
     * side by side ({@link #runRegions}).
     */
    static void run(String[] args) throws InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean tls = arguments.remove("--tls");
        boolean highlyAvailable = arguments.remove("--ha");
        int replicas = 1;
        int replicasAt = arguments.indexOf("--replicas");
        if (replicasAt >= 0) {
            replicas = Integer.parseInt(arguments.get(replicasAt + 1));
            arguments.subList(replicasAt, replicasAt + 2).clear();
        }
        int regions = 0;
        int regionsAt = arguments.indexOf("--regions");
        if (regionsAt >= 0) {
            regions = Integer.parseInt(arguments.get(regionsAt + 1));
            arguments.subList(regionsAt, regionsAt + 2).clear();
        }
        Topology topology = highlyAvailable ? Topology.highlyAvailable(replicas) : new Topology(replicas, false, 1);
        List<String> positional = arguments.stream().filter(argument -> !argument.startsWith("--")).toList();
        Path data = Path.of(positional.isEmpty() ? ".polystore" : positional.get(0));
        String command = positional.size() > 1 ? positional.get(1) : "run";
        if (regions > 0) {
            runRegions(data, command, regions, topology, tls);
            return;
        }
        if (!command.equals("run") && topology.postgresStandby()) {
            System.err.println("./polystore " + command + " works on the platform without --ha (whose PostgreSQL has a"
                    + " standby and no backups)");
            System.exit(2);
            return;
        }
        if (command.equals("backup")) {
            System.exit(BackupCommand.backup(data, ports()));
            return;
        }
        Instant restoreTo = null;
        if (command.equals("restore")) {
            try {
                restoreTo = positional.size() > 2 ? Instant.parse(positional.get(2)) : null;
            } catch (DateTimeParseException e) {
                System.err.println("--to takes an ISO-8601 instant such as 2026-05-01T12:00:00Z, not " + positional.get(2));
                System.exit(2);
                return;
            }
        }
        // ./polystore passes when it was started and how long its build took, so that "ready in" is the user's wait.
        long startedAt = Long.getLong("polystore.started-at", System.currentTimeMillis());
        // Logging set up before the stores start logging from several threads at once.
        LoggerFactory.getILoggerFactory();
        PlatformPorts ports = ports();

        LocalPlatform platform;
        try {
            LocalPlatform.Options plain = new LocalPlatform.Options(Path.of(""), data, ports,
                    line -> System.out.println("  " + line), Map.of(), topology);
            LocalPlatform.Options options = tls ? plain.withTls() : plain;
            if (command.equals("restore")) {
                platform = BackupCommand.restore(options, restoreTo);
            } else {
                ports.requireFree(topology);
                System.out.println("Starting the stores, then the services (logs in " + data.resolve("logs") + ") ...");
                platform = LocalPlatform.start(options);
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        writeLauncherPid(data);
        Monitoring monitoring = startPrometheus(data, ports, platform.certificates().map(LocalCertificates::caCertificate).orElse(null));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            if (monitoring.prometheus() != null) {
                monitoring.prometheus().close();
            }
            platform.close();
            System.out.println("Stopped. Data is kept in " + data + "/ (./polystore --reset wipes it).");
        }, "stop-polystore"));

        GatewayClient gateway = platform.gateway();
        DemoCatalog demo = new DemoCatalog(gateway, platform.demoToken("CATALOG_MANAGER"));
        long demoBegin = System.nanoTime();
        int loaded;
        try {
            loaded = demo.loadIfEmpty();
        } catch (RuntimeException e) {
            System.err.println("Loading the demo catalog failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.println(loaded > 0
                ? String.format("  %-32s in %5.1f s", "demo catalog: " + loaded + " products loaded", (System.nanoTime() - demoBegin) / 1e9)
                : "  demo catalog: kept from the last start");

        String productId = demo.anyProductId();
        long memoryMib = platform.residentMemoryBytes() / (1024 * 1024);
        System.out.printf("%nPolystore is ready in %s, using %d MiB of memory.%n%n%s%nLogs are in %s/. Press Ctrl-C to stop.%n",
                readyIn(startedAt), memoryMib, howToUse(platform, data, productId, monitoring.status()), data.resolve("logs"));
        Thread.currentThread().join(); // until Ctrl-C or SIGTERM runs the shutdown hook
    }

    /**
     * {@code --regions N}: N complete platforms side by side ({@link LocalRegions}), region-k's ports the defaults
     * plus {@code (k - 1) * 100} and its data in {@code <data>/region-k}, MirrorMaker 2 mirroring the catalog from
     * region-1 to the others. The demo catalog is loaded into region-1; each other region waits for it to arrive and
     * gives the demo products their stock there.
     */
    private static void runRegions(Path data, String command, int count, Topology topology, boolean tls)
            throws InterruptedException {
        if (!command.equals("run")) {
            fail(2, "./polystore " + command + " works on one platform, not with --regions");
            return;
        }
        if (tls || topology.postgresStandby()) {
            fail(2, "--regions runs each region with plain connections, one PostgreSQL server and one Kafka broker:"
                    + " not with " + (tls ? "--tls" : "--ha") + " yet");
            return;
        }
        if (count < 1 || count > LocalRegions.MAX_REGIONS) {
            fail(2, "--regions takes a number from 1 to " + LocalRegions.MAX_REGIONS);
            return;
        }
        long startedAt = Long.getLong("polystore.started-at", System.currentTimeMillis());
        LoggerFactory.getILoggerFactory();
        List<PlatformPorts> ports = LocalRegions.steppedPorts(ports(), count);
        LocalRegions regions;
        try {
            ports.forEach(region -> region.requireFree(topology));
            System.out.println("Starting " + count + (count == 1 ? " region" : " regions side by side")
                    + " (each region's logs in " + data + "/region-<k>/logs, MirrorMaker's in " + data + "/mirror-maker) ...");
            regions = LocalRegions.start(new LocalRegions.Options(Path.of(""), data, ports,
                    line -> System.out.println("  " + line), Map.of(), topology));
        } catch (RuntimeException e) {
            fail(1, e.getMessage());
            return;
        }
        writeLauncherPid(data);
        // Regions added while it runs add theirs; the shutdown hook stops every one.
        List<Monitoring> monitoring = new CopyOnWriteArrayList<>();
        for (int region = 1; region <= count; region++) {
            monitoring.add(startPrometheus(data.resolve(LocalRegions.regionName(region)), ports.get(region - 1), null,
                    port("POLYSTORE_PROMETHEUS_PORT", 9090) + (region - 1) * LocalRegions.PORT_STEP));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            monitoring.stream().map(Monitoring::prometheus).filter(Objects::nonNull).forEach(LocalPrometheus::close);
            regions.close();
            System.out.println("Stopped. Data is kept in " + data + "/ (./polystore --regions " + regions.platforms().size()
                    + " --reset wipes it).");
        }, "stop-polystore"));

        LocalPlatform catalogRegion = regions.region(1);
        DemoCatalog demo = new DemoCatalog(catalogRegion.gateway(), catalogRegion.demoToken("CATALOG_MANAGER"));
        long demoBegin = System.nanoTime();
        try {
            int loaded = demo.loadIfEmpty();
            System.out.println(loaded > 0
                    ? String.format("  %-32s in %5.1f s", "region-1: demo catalog: " + loaded + " products loaded", (System.nanoTime() - demoBegin) / 1e9)
                    : "  region-1: demo catalog kept from the last start");
        } catch (RuntimeException e) {
            fail(1, "Loading the demo catalog into region-1 failed: " + e.getMessage());
            return;
        }
        // The replicas wait for the catalog in parallel; a region it does not reach runs on without demo stock.
        List<Thread> stocking = new ArrayList<>();
        for (int region = 2; region <= count; region++) {
            String name = LocalRegions.regionName(region);
            LocalPlatform platform = regions.region(region);
            stocking.add(Thread.ofPlatform().name("demo stock " + name).start(() -> {
                long begin = System.nanoTime();
                try {
                    int stocked = new DemoCatalog(platform.gateway(), platform.demoToken("CATALOG_MANAGER"))
                            .stockReplica(REPLICATION_PATIENCE);
                    System.out.printf("  %-32s in %5.1f s%n", name + ": demo catalog replicated, " + stocked
                            + " products given stock", (System.nanoTime() - begin) / 1e9);
                } catch (RuntimeException e) {
                    System.out.println("  " + name + ": no demo stock: " + e.getMessage() + ". Its catalog comes from "
                            + "region-1 through MirrorMaker (" + data.resolve("mirror-maker/mirror-maker.log")
                            + ") and its catalog-service (" + data.resolve(name + "/logs/catalog-service.log") + ").");
                }
            }));
        }
        for (Thread thread : stocking) {
            thread.join();
        }

        String productId = demo.anyProductId();
        long memoryMib = regions.residentMemoryBytes() / (1024 * 1024);
        StringBuilder usage = new StringBuilder();
        for (int region = 1; region <= count; region++) {
            String name = LocalRegions.regionName(region);
            usage.append(String.format("%n── %s: %s ──%n%n", name, region == 1
                    ? "the catalog region (products and categories are written here)"
                    : "a replica of region-1's catalog (catalog writes are refused with 409), its own stock"));
            usage.append(howToUse(regions.region(region), data.resolve(name), productId, monitoring.get(region - 1).status()));
        }
        String mirror = regions.mirrorMaker().map(process -> String.format("""

                MirrorMaker 2 mirrors %s from region-1 into %s as region-1.%s,
                  and every region's %s (stock sent to another region) into every other region as region-<k>.%s,
                  and every region's %s (its orders' masked records) into every other region as region-<k>.%s
                  (configuration %s, log %s).
                """, LocalRegions.CATALOG_REPLICATION,
                String.join(", ", IntStream.rangeClosed(2, count).mapToObj(LocalRegions::regionName).toList()),
                LocalRegions.CATALOG_REPLICATION, LocalRegions.CATALOG_TRANSFERS, LocalRegions.CATALOG_TRANSFERS,
                LocalRegions.ORDER_HISTORY, LocalRegions.ORDER_HISTORY,
                data.resolve("mirror-maker/mirror-maker.properties"),
                data.resolve("mirror-maker/mirror-maker.log"))).orElse("");
        // Commands on the terminal only when ./polystore runs in its foreground (it says so): a launcher started in the
        // background, or with its input redirected, is left alone.
        boolean console = Boolean.getBoolean("polystore.console");
        System.out.printf("%nPolystore is ready in %s, %d region%s, using %d MiB of memory.%n%s%s%n"
                        + "Each region's logs are in %s/region-<k>/logs/. %s%n",
                readyIn(startedAt), count, count == 1 ? "" : "s", memoryMib, usage, mirror, data, console && count < LocalRegions.MAX_REGIONS
                        ? "Type add-region (and Enter) to add " + LocalRegions.regionName(count + 1) + " while these run,"
                        + " help for the commands; Ctrl-C stops all regions."
                        : "Press Ctrl-C to stop all regions.");
        if (console) {
            new RegionsConsole(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out,
                    () -> addRegion(regions, data, monitoring, productId)).run();
        }
        Thread.currentThread().join(); // until Ctrl-C or SIGTERM runs the shutdown hook
    }

    /**
     * {@code add-region} typed while the regions run: the next region k on the defaults plus {@code (k - 1) * 100}, its
     * data in {@code <data>/region-k} ({@link LocalRegions#addRegion()}: its platform, a MirrorMaker of its own for its
     * flows, the catalog applied), its Prometheus, and the demo stock as every other region but region-1 gets it;
     * then its addresses and commands. The running regions are not touched: they learn of it from its announcement.
     */
    private static void addRegion(LocalRegions regions, Path data, List<Monitoring> monitoring, String productId) {
        int region = regions.platforms().size() + 1;
        if (region > LocalRegions.MAX_REGIONS) {
            System.out.println("There are " + LocalRegions.MAX_REGIONS + " regions already, the most ./polystore runs.");
            return;
        }
        String name = LocalRegions.regionName(region);
        String running = regionsBefore(region);
        System.out.println("Adding " + name + " while " + running + (region == 2 ? " runs" : " run") + " (its logs in " + data.resolve(name + "/logs") + ", its MirrorMaker's in "
                + data.resolve("mirror-maker-" + name) + ") ...");
        long begin = System.nanoTime();
        LocalPlatform platform;
        try {
            platform = regions.addRegion();
        } catch (RuntimeException e) {
            System.out.println(name + " was not added: " + e.getMessage());
            return;
        }
        double joinedSeconds = (System.nanoTime() - begin) / 1e9;
        Monitoring prometheus = startPrometheus(data.resolve(name), platform.ports(), null,
                port("POLYSTORE_PROMETHEUS_PORT", 9090) + (region - 1) * LocalRegions.PORT_STEP);
        monitoring.add(prometheus);
        try {
            int stocked = new DemoCatalog(platform.gateway(), platform.demoToken("CATALOG_MANAGER")).stockReplica(REPLICATION_PATIENCE);
            System.out.println("  " + name + ": demo catalog replicated, " + stocked + " products given stock");
        } catch (RuntimeException e) {
            System.out.println("  " + name + ": no demo stock: " + e.getMessage());
        }
        String others = Character.toUpperCase(running.charAt(0)) + running.substring(1) + (region == 2 ? " takes" : " take");
        System.out.printf("""

                %s joined in %.1f s (%d MiB of memory for all regions now): the catalog replicated from region-1,
                MirrorMaker 2 between it and every other region (configuration %s, log %s).
                %s it as a peer from its announcement within seconds, unrestarted: gateways there trust its tokens
                and forward its customers to it, catalog-services there send it units (transfers, the rebalancer).
                %n── %s: a replica of region-1's catalog (catalog writes are refused with 409), its own stock ──%n%n%s
                %s%n""", name, joinedSeconds, regions.residentMemoryBytes() / (1024 * 1024), data.resolve("mirror-maker-" + name + "/mirror-maker.properties"),
                data.resolve("mirror-maker-" + name + "/mirror-maker.log"), others, name,
                howToUse(platform, data.resolve(name), productId, prometheus.status()),
                region < LocalRegions.MAX_REGIONS ? "Type add-region to add " + LocalRegions.regionName(region + 1)
                        + "; Ctrl-C stops all regions." : "Ctrl-C stops all regions.");
    }

    /** "region-1", "region-1 and region-2", ...: the regions before region {@code k}. */
    static String regionsBefore(int region) {
        List<String> names = IntStream.range(1, region).mapToObj(LocalRegions::regionName).toList();
        return names.size() == 1 ? names.getFirst()
                : String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast();
    }

    /** How long a replica region waits for the demo catalog to arrive from region-1. */
    private static final Duration REPLICATION_PATIENCE = Duration.ofMinutes(3);

    /** "12.3 s", with the part of it spent building when ./polystore built first. */
    private static String readyIn(long startedAt) {
        double readySeconds = (System.currentTimeMillis() - startedAt) / 1000.0;
        String building = System.getProperty("polystore.build-seconds", "");
        return String.format("%.1f s%s", readySeconds, building.isBlank() ? "" : " (" + building + " s of it building)");
    }

    /** The addresses, users, stores and example commands of one platform, as the launcher prints them. */
    private static String howToUse(LocalPlatform platform, Path data, String productId, String prometheus) {
        PlatformPorts ports = platform.ports();
        String gatewayUrl = platform.gatewayUrl().toString();
        String tokens = data.resolve("tokens").toString();
        // With TLS, curl needs the local CA: every command below says so.
        String curl = platform.certificates().map(certificates -> "curl --cacert " + certificates.caCertificate()).orElse("curl");
        String stores = platform.certificates().map(certificates -> String.format("""
                  Stores       TLS only, verified against the local CA: PostgreSQL localhost:%d (postgres/postgres,
                               sslmode=verify-full&sslrootcert=%s), Kafka 127.0.0.1:%d (SSL),
                               SurrealDB https://127.0.0.1:%d (root/root)
                  TLS          on every hop; the local CA is %s: trust it with curl --cacert,
                               or import it into a browser's authorities to open the gateway
                """, ports.postgres(), certificates.caCertificate(), ports.kafka(), ports.surrealDb(),
                certificates.caCertificate())).orElse(String.format("""
                  Stores       PostgreSQL localhost:%d (postgres/postgres), Kafka 127.0.0.1:%d,
                               SurrealDB http://127.0.0.1:%d (root/root)
                """, ports.postgres(), ports.kafka(), ports.surrealDb()));
        return String.format("""
                  Gateway      %s   (the only entry: /api/orders, /api/catalog, /api/audit, /api/sync)
                  Swagger UI   %s/swagger-ui.html   (Authorize signs you in through the gateway)
                  Demo users   alice (CUSTOMER), carol (CATALOG_MANAGER), oscar (ORDER_MANAGER), audrey (AUDITOR),
                               adam (ADMIN), password "polystore"; a 12-hour token per role in %s/<ROLE>.jwt
                  Machine      client demo-machine, secret demo-machine-secret (client credentials, ORDER_MANAGER)
                  Sign up      CURL -H 'Content-Type: application/json' %s/api/account \\
                                 -d '{"username":"dora","password":"a long passphrase of mine"}'   (then sign in through Swagger UI)
                %s  Prometheus   %s

                  Try it: alice orders two units of a demo product; then the machine client (ORDER_MANAGER) lists all orders.
                    TOKEN=$(cat %s/CUSTOMER.jwt)
                    CURL -s %s/api/orders -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: $(date +%%s%%N)" \\
                      -H 'Content-Type: application/json' -d '{"currency":"EUR","lines":[{"productId":"%s","quantity":2}],
                      "customer":{"name":"Alice Example","email":"alice@example.com","phone":"+49 30 1234567"},
                      "shippingAddress":{"line1":"Hauptstrasse 1","line2":null,"postalCode":"10115","city":"Berlin","country":"DE"}}'
                    MACHINE=$(CURL -s -u demo-machine:demo-machine-secret -d grant_type=client_credentials \\
                      %s/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                    CURL -s -H "Authorization: Bearer $MACHINE" %s/api/orders/all
                """.replace("CURL", curl), gatewayUrl, gatewayUrl, tokens, gatewayUrl, stores, prometheus,
                tokens, gatewayUrl, productId, gatewayUrl, gatewayUrl);
    }

    private static void fail(int status, String message) {
        System.err.println(message);
        System.exit(status);
    }

    /** Prometheus if it runs (null if not), and what to tell the user about it. */
    private record Monitoring(LocalPrometheus prometheus, String status) {
    }

    /** Prometheus on POLYSTORE_PROMETHEUS_PORT (9090) when installed; the platform runs without it otherwise. */
    private static Monitoring startPrometheus(Path data, PlatformPorts ports, Path caCertificate) {
        return startPrometheus(data, ports, caCertificate, port("POLYSTORE_PROMETHEUS_PORT", 9090));
    }

    private static Monitoring startPrometheus(Path data, PlatformPorts ports, Path caCertificate, int port) {
        if (LocalPrometheus.binary().isEmpty()) {
            return new Monitoring(null, "not installed; to watch the metrics and alerts, " + LocalPrometheus.installHint());
        }
        try {
            long begin = System.nanoTime();
            LocalPrometheus prometheus = LocalPrometheus.start(Path.of("").toAbsolutePath(), data, ports, port,
                    Duration.ofSeconds(10), caCertificate);
            System.out.printf("  %-32s up in %5.1f s%n", "Prometheus on port " + port, (System.nanoTime() - begin) / 1e9);
            return new Monitoring(prometheus, prometheus.url() + "   (metrics and alert rules; Grafana dashboards in "
                    + LocalPrometheus.DASHBOARDS + ")");
        } catch (RuntimeException e) {
            return new Monitoring(null, "did not start: " + e.getMessage().lines().findFirst().orElse("")
                    + " (another port: POLYSTORE_PROMETHEUS_PORT; log in " + data.resolve("logs") + "/prometheus.log)");
        }
    }

    /** So that {@code ./polystore restore} can stop this launcher. */
    private static void writeLauncherPid(Path data) {
        try {
            java.nio.file.Files.writeString(data.resolve("launcher.pid"), ProcessHandle.current().pid() + "\n");
        } catch (java.io.IOException e) {
            System.err.println("Cannot write " + data.resolve("launcher.pid") + ": " + e.getMessage());
        }
    }

    /** The default ports, the stores' overridable with POLYSTORE_POSTGRES_PORT, _KAFKA_PORT, _SURREALDB_PORT. */
    static PlatformPorts ports() {
        PlatformPorts defaults = PlatformPorts.defaults();
        return new PlatformPorts(defaults.gateway(), defaults.orders(), defaults.catalog(),
                defaults.sync(), defaults.audit(), port("POLYSTORE_POSTGRES_PORT", defaults.postgres()),
                port("POLYSTORE_KAFKA_PORT", defaults.kafka()), port("POLYSTORE_SURREALDB_PORT", defaults.surrealDb()));
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
