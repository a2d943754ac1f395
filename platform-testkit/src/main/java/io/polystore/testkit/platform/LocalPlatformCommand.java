package io.polystore.testkit.platform;

import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;

/** What {@code ./polystore} runs: start, load the demo catalog, say how to use it, run until stopped. */
final class LocalPlatformCommand {

    private LocalPlatformCommand() {
    }

    static void run(String[] args) throws InterruptedException {
        Path data = Path.of(args.length > 0 ? args[0] : ".polystore");
        // ./polystore passes when it was started and how long its build took, so that "ready in" is the user's wait.
        long startedAt = Long.getLong("polystore.started-at", System.currentTimeMillis());
        // Logging set up before the stores start logging from several threads at once.
        LoggerFactory.getILoggerFactory();
        PlatformPorts defaults = PlatformPorts.defaults();
        PlatformPorts ports = new PlatformPorts(defaults.gateway(), defaults.orders(), defaults.catalog(),
                defaults.sync(), defaults.audit(), port("POLYSTORE_POSTGRES_PORT", defaults.postgres()),
                port("POLYSTORE_KAFKA_PORT", defaults.kafka()), port("POLYSTORE_SURREALDB_PORT", defaults.surrealDb()));

        LocalPlatform platform;
        try {
            ports.requireFree();
            System.out.println("Starting the stores, then the services (logs in " + data.resolve("logs") + ") ...");
            platform = LocalPlatform.start(new LocalPlatform.Options(Path.of(""), data, ports,
                    line -> System.out.println("  " + line)));
        } catch (RuntimeException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        Monitoring monitoring = startPrometheus(data, ports);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping ...");
            if (monitoring.prometheus() != null) {
                monitoring.prometheus().close();
            }
            platform.close();
            System.out.println("Stopped. Data is kept in " + data + "/ (./polystore --reset wipes it).");
        }, "stop-polystore"));

        GatewayClient gateway = new GatewayClient(platform.gatewayUrl());
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
        System.out.printf("""

                Polystore is ready in %.1f s%s, using %d MiB of memory.

                  Gateway      %s   (the only entry: /api/orders, /api/catalog, /api/audit, /api/sync)
                  Swagger UI   %s/swagger-ui.html   (Authorize signs you in through the gateway)
                  Demo users   alice (CUSTOMER), carol (CATALOG_MANAGER), oscar (ORDER_MANAGER), audrey (AUDITOR),
                               adam (ADMIN), password "polystore"; a 12-hour token per role in %s/<ROLE>.jwt
                  Machine      client demo-machine, secret demo-machine-secret (client credentials, ORDER_MANAGER)
                  Sign up      curl -H 'Content-Type: application/json' %s/api/account \\
                                 -d '{"username":"dora","password":"a long passphrase of mine"}'   (then sign in through Swagger UI)
                  Stores       PostgreSQL localhost:%d (postgres/postgres), Kafka 127.0.0.1:%d,
                               SurrealDB http://127.0.0.1:%d (root/root)
                  Prometheus   %s

                  Try it: alice orders two units of a demo product; then the machine client (ORDER_MANAGER) lists all orders.
                    TOKEN=$(cat %s/CUSTOMER.jwt)
                    curl -s %s/api/orders -H "Authorization: Bearer $TOKEN" -H "Idempotency-Key: $(date +%%s%%N)" \\
                      -H 'Content-Type: application/json' -d '{"currency":"EUR","lines":[{"productId":"%s","quantity":2}],
                      "customer":{"name":"Alice Example","email":"alice@example.com","phone":"+49 30 1234567"},
                      "shippingAddress":{"line1":"Hauptstrasse 1","line2":null,"postalCode":"10115","city":"Berlin","country":"DE"}}'
                    MACHINE=$(curl -s -u demo-machine:demo-machine-secret -d grant_type=client_credentials \\
                      %s/oauth2/token | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
                    curl -s -H "Authorization: Bearer $MACHINE" %s/api/orders/all

                Logs are in %s/. Press Ctrl-C to stop.
                """, readySeconds, building.isBlank() ? "" : " (" + building + " s of it building)", memoryMib,
                gatewayUrl, gatewayUrl, tokens, gatewayUrl, ports.postgres(), ports.kafka(), ports.surrealDb(),
                monitoring.status(),
                tokens, gatewayUrl, productId, gatewayUrl, gatewayUrl, data.resolve("logs"));
        Thread.currentThread().join(); // until Ctrl-C or SIGTERM runs the shutdown hook
    }

    /** Prometheus if it runs (null if not), and what to tell the user about it. */
    private record Monitoring(LocalPrometheus prometheus, String status) {
    }

    /** Prometheus on POLYSTORE_PROMETHEUS_PORT (9090) when installed; the platform runs without it otherwise. */
    private static Monitoring startPrometheus(Path data, PlatformPorts ports) {
        int port = port("POLYSTORE_PROMETHEUS_PORT", 9090);
        if (LocalPrometheus.binary().isEmpty()) {
            return new Monitoring(null, "not installed; to watch the metrics and alerts, " + LocalPrometheus.installHint());
        }
        try {
            long begin = System.nanoTime();
            LocalPrometheus prometheus = LocalPrometheus.start(Path.of("").toAbsolutePath(), data, ports, port,
                    Duration.ofSeconds(10));
            System.out.printf("  %-32s up in %5.1f s%n", "Prometheus on port " + port, (System.nanoTime() - begin) / 1e9);
            return new Monitoring(prometheus, prometheus.url() + "   (metrics and alert rules; Grafana dashboards in "
                    + LocalPrometheus.DASHBOARDS + ")");
        } catch (RuntimeException e) {
            return new Monitoring(null, "did not start: " + e.getMessage().lines().findFirst().orElse("")
                    + " (another port: POLYSTORE_PROMETHEUS_PORT; log in " + data.resolve("logs") + "/prometheus.log)");
        }
    }

    private static int port(String variable, int fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value.strip());
    }
}
