package io.polystore.testkit.platform;

import io.polystore.testkit.tls.LocalCertificates;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code ./polystore} runs: start, load the demo catalog, say how to use it, run until stopped. */
final class LocalPlatformCommand {

    private LocalPlatformCommand() {
    }

    /**
     * {@code [data directory] [run | backup | restore [instant]] [--tls] [--replicas <n>] [--ha]}: {@code --replicas}
     * sets the instances per service, {@code --ha} runs two instances per service unless more are asked for, PostgreSQL
     * primary and standby, and three Kafka brokers.
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
        Topology topology = highlyAvailable ? Topology.highlyAvailable(replicas) : new Topology(replicas, false, 1);
        List<String> positional = arguments.stream().filter(argument -> !argument.startsWith("--")).toList();
        Path data = Path.of(positional.isEmpty() ? ".polystore" : positional.get(0));
        String command = positional.size() > 1 ? positional.get(1) : "run";
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
        double readySeconds = (System.currentTimeMillis() - startedAt) / 1000.0;
        String building = System.getProperty("polystore.build-seconds", "");
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
        System.out.printf("""

                Polystore is ready in %.1f s%s, using %d MiB of memory.

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

                Logs are in %s/. Press Ctrl-C to stop.
                """.replace("CURL", curl), readySeconds, building.isBlank() ? "" : " (" + building + " s of it building)", memoryMib,
                gatewayUrl, gatewayUrl, tokens, gatewayUrl, stores, monitoring.status(),
                tokens, gatewayUrl, productId, gatewayUrl, gatewayUrl, data.resolve("logs"));
        Thread.currentThread().join(); // until Ctrl-C or SIGTERM runs the shutdown hook
    }

    /** Prometheus if it runs (null if not), and what to tell the user about it. */
    private record Monitoring(LocalPrometheus prometheus, String status) {
    }

    /** Prometheus on POLYSTORE_PROMETHEUS_PORT (9090) when installed; the platform runs without it otherwise. */
    private static Monitoring startPrometheus(Path data, PlatformPorts ports, Path caCertificate) {
        int port = port("POLYSTORE_PROMETHEUS_PORT", 9090);
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
