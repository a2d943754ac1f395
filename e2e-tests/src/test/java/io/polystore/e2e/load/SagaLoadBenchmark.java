package io.polystore.e2e.load;

import io.polystore.e2e.RunningPlatform;
import io.polystore.e2e.load.OpenLoopLoad.Sent;
import io.polystore.e2e.load.SagaStages.Stages;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order saga under a fixed arrival rate, on the real platform (the processes {@code ./polystore} runs, on free
 * ports, data in {@code target/saga-load-platform}), through the gateway: orders of one line from many customers,
 * sent open-loop at each rate for a while, each timed from placement to terminal on the server's clock, with the
 * time of each hop, and beside it the same hops measured raw in the same run. Not part of {@code verify}; see the
 * README for the command and figures.
 */
class SagaLoadBenchmark {

    private static final List<Double> RATES = Arrays.stream(System.getProperty("saga.rates", "10,30,60,100").split(","))
            .map(String::strip).map(Double::parseDouble).toList();
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("saga.seconds", 60));
    private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("saga.warm-up-seconds", 20));
    private static final int CUSTOMERS = Integer.getInteger("saga.customers", 50);
    private static final int PRODUCTS = Integer.getInteger("saga.products", 20);
    /** Plenty, so that no order is rejected for stock: every REJECTED order is the platform's failure. */
    private static final int STOCK = 100_000_000;
    /** How long the saga's backlog may take to drain after the last request before the run counts as fallen behind. */
    private static final Duration DRAIN_LIMIT = Duration.ofMinutes(Long.getLong("saga.drain-minutes", 5));
    /** With {@code -Dsaga.jfr=true}, each service records a JFR profile of each measured rate (jcmd JFR.start). */
    private static final boolean PROFILE = Boolean.getBoolean("saga.jfr");
    /** Spring properties for every service, {@code name=value} separated by commas, e.g. a tracing sampling rate. */
    private static final Map<String, String> SERVICE_PROPERTIES = Arrays.stream(
                    System.getProperty("saga.service-properties", "").split(","))
            .map(String::strip).filter(pair -> pair.contains("="))
            .collect(Collectors.toMap(pair -> pair.substring(0, pair.indexOf('=')), pair -> pair.substring(pair.indexOf('=') + 1)));
    private static final JsonMapper json = JsonMapper.builder().build();

    @Test
    void sagaUnderOpenLoopLoad() throws Exception {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of("target/saga-load-platform").toAbsolutePath();
        RunningPlatform.deleteRecursively(data);
        System.out.printf("[saga] load average at start: %s; services' JVM options: %s; their properties: %s%n",
                PlatformProcesses.loadAverage(), System.getProperty(LocalPlatform.SERVICE_JVM_OPTIONS_PROPERTY, "the launcher's"),
                SERVICE_PROPERTIES);
        long begin = System.nanoTime();
        try (LocalPlatform platform = LocalPlatform.start(new LocalPlatform.Options(repository, data, PlatformPorts.free(),
                line -> System.out.println("[platform] " + line), SERVICE_PROPERTIES))) {
            System.out.printf("[saga] platform ready in %.1f s, %d MiB resident, load average %s%n",
                    (System.nanoTime() - begin) / 1e9, platform.residentMemoryBytes() / (1024 * 1024), PlatformProcesses.loadAverage());
            new Run(platform).all();
        }
        System.out.printf("[saga] load average at the end: %s%n", PlatformProcesses.loadAverage());
    }

    private static final class Run {

        private final LocalPlatform platform;
        private final GatewayClient gateway;
        private final List<String> customers;
        private final List<String> products = new ArrayList<>();
        private final OpenLoopLoad load = new OpenLoopLoad();
        private final ProcessCpu cpu;
        private final List<String> summary = new ArrayList<>();

        Run(LocalPlatform platform) {
            this.platform = platform;
            this.gateway = new GatewayClient(platform.gatewayUrl());
            this.customers = LoadCustomers.tokens(platform.dataDirectory().resolve("gateway-signing-key.json"),
                    platform.gatewayUrl(), CUSTOMERS, Duration.ofHours(12));
            this.cpu = ProcessCpu.of(platform);
        }

        void all() throws Exception {
            for (int i = 0; i < PRODUCTS; i++) {
                products.add(createProduct("Load product " + i));
            }
            awaitPricesKnown();
            System.out.printf("[saga] %d products, %d customers; warming up %d s at 20 orders/s%n", PRODUCTS, CUSTOMERS,
                    WARM_UP.toSeconds());
            atRate(20, WARM_UP, false);
            List<RawCeilings.Hop> raw = new RawCeilings(platform.ports().postgres(), platform.ports().kafka(),
                    platform.ports().surrealDb()).measure(500);
            for (double rate : RATES) {
                atRate(rate, RUN, true);
            }
            System.out.println();
            reconcile();
            System.out.println("[saga] raw hops, one caller, 500 each, in the same run:");
            System.out.println("| hop | p50 | p99 | one caller's rate |");
            System.out.println("| --- | --- | --- | --- |");
            for (RawCeilings.Hop hop : raw) {
                double p50 = percentile(hop.nanos(), 50) / 1e6;
                System.out.printf(Locale.ROOT, "| %s | %.1f ms | %.1f ms | %.0f /s |%n", hop.name(), p50,
                        percentile(hop.nanos(), 99) / 1e6, 1000 / p50);
            }
            System.out.println();
            System.out.println("| arrival rate | POST p50 / p99 | placed → terminal p50 / p99 | → command on Kafka | "
                    + "→ reserved | → reply on Kafka | → terminal | then → sold | errors, rejected | drained after | load average |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            summary.forEach(System.out::println);
        }

        /**
         * After the last burst: a reconciliation run (a dry run, as an administrator) once the `local` profile's grace
         * period (10 s) has passed, that is whether any reservation holds stock for an order that is not CONFIRMED, or
         * the reverse.
         */
        private void reconcile() {
            pause(Duration.ofSeconds(11));
            GatewayClient.Response run = gateway.post("/api/sync/reconciliation/runs", platform.demoToken("ADMIN"),
                    Map.of("repair", false));
            assertThat(run.status()).as("reconciliation: %s", run.body()).isEqualTo(201);
            System.out.printf("[saga] reconciliation 11 s after the last order was terminal: %d orders checked, drift %d %s%n",
                    run.json().path("ordersChecked").asInt(), run.json().path("driftCount").asInt(), run.json().path("drift"));
            if (run.json().path("driftCount").asInt() > 0) {
                // Drift that a lagging consumer causes is gone a minute later; real drift stays.
                pause(Duration.ofSeconds(60));
                GatewayClient.Response again = gateway.post("/api/sync/reconciliation/runs", platform.demoToken("ADMIN"),
                        Map.of("repair", false));
                System.out.printf("[saga] reconciliation a minute later: drift %d %s%n",
                        again.json().path("driftCount").asInt(), again.json().path("drift"));
            }
        }

        private void atRate(double rate, Duration duration, boolean report) throws Exception {
            int count = (int) Math.round(rate * duration.toSeconds());
            String loadBefore = PlatformProcesses.loadAverage();
            Map<String, Double> cpuBefore = cpu.sample();
            if (report && PROFILE) {
                profile(rate, duration);
            }
            Map<String, Double> retriesBefore = catalogRetries();
            Instant start = Instant.now();
            // A new product in the middle of the run: how long its price takes to reach order-service under load.
            // Its own thread: a sleeping task in the common pool (one thread on two cores) would stall the HTTP client.
            // A gateway that refuses it under overload is reported, not a failure of the run.
            CompletableFuture<Optional<String>> midRunProduct = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                pause(duration.dividedBy(2));
                try {
                    midRunProduct.complete(Optional.of(createProduct("Mid-run product at " + rate + "/s")));
                } catch (RuntimeException | AssertionError e) {
                    System.out.printf("[saga] creating the mid-run product failed: %s%n", e.getMessage());
                    midRunProduct.complete(Optional.empty());
                }
            });
            List<Sent> sent = load.run(rate, count, index -> OpenLoopLoad.post(
                    platform.gatewayUrl().resolve("/api/orders"), customers.get(index % CUSTOMERS),
                    orderBody(index, products.get(index % PRODUCTS)))
                    .header("Idempotency-Key", UUID.randomUUID().toString()));
            Instant lastRequest = Instant.now();
            Map<String, Double> cpuAfter = cpu.sample();
            double seconds = Duration.between(start, lastRequest).toMillis() / 1000.0;
            String loadAfter = PlatformProcesses.loadAverage();
            List<UUID> placed = sent.stream().filter(response -> response.status() == 201)
                    .map(response -> UUID.fromString(json.readTree(response.body()).path("id").asString())).toList();
            try (SagaStages stages = new SagaStages(platform.ports().postgres(), platform.ports().kafka(), platform.ports().surrealDb())) {
                Duration drained = awaitTerminal(stages, placed, lastRequest);
                if (!report) {
                    return;
                }
                List<Stages> orders = stages.of(placed, start.minusSeconds(1));
                print(rate, duration, sent, orders, drained, cpuBefore, cpuAfter, seconds, loadBefore, loadAfter,
                        midRunProduct.join().map(this::priceSnapshotDelay));
                Map<String, Double> retriesAfter = catalogRetries();
                System.out.printf("  catalog transactions run again: %s%n", retriesAfter.entrySet().stream()
                        .map(entry -> String.format(Locale.ROOT, "%s %.0f", entry.getKey(),
                                entry.getValue() - retriesBefore.getOrDefault(entry.getKey(), 0.0)))
                        .collect(Collectors.joining(", ")));
            }
        }

        /** Catalog-service's {@code polystore_catalog_transaction_retries_total} by reason, from its Prometheus endpoint. */
        private Map<String, Double> catalogRetries() throws IOException, InterruptedException {
            URI metrics = URI.create("http://127.0.0.1:" + platform.service(PlatformService.CATALOG).port() + "/actuator/prometheus");
            try (HttpClient client = HttpClient.newHttpClient()) {
                String text = client.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
                Map<String, Double> retries = new TreeMap<>();
                text.lines().filter(line -> line.startsWith("polystore_catalog_transaction_retries_total{")).forEach(line -> {
                    String reason = line.replaceAll(".*reason=\"([^\"]*)\".*", "$1");
                    retries.merge(reason, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
                });
                return retries;
            }
        }

        /** Starts a JFR recording of {@code duration} in every service, into {@code <data>/jfr/<service>-<rate>.jfr}. */
        private void profile(double rate, Duration duration) throws IOException, InterruptedException {
            Path directory = Files.createDirectories(platform.dataDirectory().resolve("jfr"));
            for (PlatformService service : PlatformService.values()) {
                Path file = directory.resolve("%s-%.0f.jfr".formatted(service.moduleName(), rate));
                Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                        Long.toString(platform.service(service).pid()), "JFR.start", "settings=profile",
                        "duration=" + duration.toSeconds() + "s", "filename=" + file).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                jcmd.waitFor();
            }
            System.out.println("[saga] recording JFR profiles into " + directory);
        }

        private void print(double rate, Duration duration, List<Sent> sent, List<Stages> orders, Duration drained,
                           Map<String, Double> cpuBefore, Map<String, Double> cpuAfter, double seconds,
                           String loadBefore, String loadAfter, Optional<Duration> priceDelay) {
            Map<Integer, Long> statuses = sent.stream().collect(Collectors.groupingBy(Sent::status, TreeMap::new,
                    Collectors.counting()));
            List<Long> post = sent.stream().map(Sent::latencyNanos).toList();
            Map<String, Long> outcomes = orders.stream().collect(Collectors.groupingBy(Stages::status, TreeMap::new,
                    Collectors.counting()));
            List<Stages> complete = orders.stream().filter(order -> order.terminal() != null && order.commandRelayed() != null
                    && order.reserved() != null && order.replyRelayed() != null).toList();
            List<Long> total = millis(complete, order -> Duration.between(order.placed(), order.terminal()));
            List<Long> relayed = millis(complete, order -> Duration.between(order.placed(), order.commandRelayed()));
            List<Long> reserved = millis(complete, order -> Duration.between(order.commandRelayed(), order.reserved()));
            List<Long> replied = millis(complete, order -> Duration.between(order.reserved(), order.replyRelayed()));
            List<Long> terminal = millis(complete, order -> Duration.between(order.replyRelayed(), order.terminal()));
            List<Long> sold = millis(complete.stream().filter(order -> order.sold() != null).toList(),
                    order -> Duration.between(order.terminal(), order.sold()));
            long errors = sent.stream().filter(response -> response.status() != 201).count();
            System.out.printf(Locale.ROOT, "%n[saga] %.0f orders/s for %d s (load average %s → %s)%n", rate,
                    duration.toSeconds(), loadBefore, loadAfter);
            System.out.printf("  responses by status: %s%s%n", statuses, errors == 0 ? "" : "; first error: "
                    + sent.stream().filter(response -> response.status() != 201).findFirst().map(Sent::body).orElse(""));
            System.out.printf("  orders by status: %s; %d with every stage%n", outcomes, complete.size());
            System.out.printf("  responses slower than 5 s: %s%n", sent.stream().filter(response -> response.latencyNanos() > 5e9)
                    .limit(10).map(response -> "#" + response.index() + " " + response.status() + " "
                            + response.latencyNanos() / 1_000_000 + " ms").toList());
            System.out.printf(Locale.ROOT, "  POST /orders                   p50 %6.0f ms  p99 %6.0f ms%n",
                    percentile(post, 50) / 1e6, percentile(post, 99) / 1e6);
            System.out.printf("  placed → terminal              %s  max %d ms%n", quantiles(total), max(total));
            System.out.printf("    committed → command on Kafka %s%n", quantiles(relayed));
            System.out.printf("    → reservation committed      %s%n", quantiles(reserved));
            System.out.printf("    → reply on Kafka             %s%n", quantiles(replied));
            System.out.printf("    → order terminal             %s%n", quantiles(terminal));
            System.out.printf("    then → units sold (catalog)  %s  (%d of %d confirmed orders)%n", quantiles(sold), sold.size(),
                    outcomes.getOrDefault("CONFIRMED", 0L));
            System.out.printf(Locale.ROOT, "  last order terminal %.1f s after the last request; a price changed mid-run "
                    + "reached order-service in %s%n", drained.toMillis() / 1000.0,
                    priceDelay.map(delay -> delay.toMillis() + " ms").orElse("(no product created)"));
            System.out.printf("  CPU, %% of one core: %s%n", cpuAfter.entrySet().stream()
                    .map(entry -> String.format(Locale.ROOT, "%s %.0f%%", entry.getKey(),
                            100 * (entry.getValue() - cpuBefore.get(entry.getKey())) / seconds))
                    .collect(Collectors.joining(", ")));
            summary.add(String.format(Locale.ROOT, "| %.0f orders/s | %.0f / %.0f ms | %d / %d ms | %d / %d | %d / %d | "
                            + "%d / %d | %d / %d | %d / %d | %d, %d | %.1f s | %s → %s |",
                    rate, percentile(post, 50) / 1e6, percentile(post, 99) / 1e6,
                    percentile(total, 50), percentile(total, 99), percentile(relayed, 50), percentile(relayed, 99),
                    percentile(reserved, 50), percentile(reserved, 99), percentile(replied, 50), percentile(replied, 99),
                    percentile(terminal, 50), percentile(terminal, 99), percentile(sold, 50), percentile(sold, 99),
                    errors, outcomes.getOrDefault("REJECTED", 0L),
                    drained.toMillis() / 1000.0, loadBefore, loadAfter));
        }

        /** Waits until every placed order is terminal; returns how long after the last request that was. */
        private Duration awaitTerminal(SagaStages stages, List<UUID> placed, Instant lastRequest) {
            Instant giveUp = lastRequest.plus(DRAIN_LIMIT);
            while (stages.notTerminal(placed) > 0) {
                assertThat(Instant.now()).as("every order terminal within %s of the last request", DRAIN_LIMIT)
                        .isBefore(giveUp);
                pause(Duration.ofMillis(200));
            }
            return Duration.between(lastRequest, Instant.now());
        }

        private String createProduct(String name) {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("sku", "LOAD-" + UUID.randomUUID());
            product.put("name", name);
            product.put("price", Map.of("amount", "9.90", "currency", "EUR"));
            product.put("initialStock", STOCK);
            GatewayClient.Response created = gateway.post("/api/catalog/products",
                    platform.demoToken("CATALOG_MANAGER"), product);
            assertThat(created.status()).as("create product: %s", created.body()).isEqualTo(201);
            return created.json().path("id").asString();
        }

        /** Until order-service has a price for every product (it learns them from the catalog's events). */
        private void awaitPricesKnown() {
            Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
            while (pricesKnown() < products.size()) {
                assertThat(Instant.now()).as("order-service knows every product's price").isBefore(giveUp);
                pause(Duration.ofMillis(200));
            }
        }

        private int pricesKnown() {
            try (Connection orders = ordersDatabase();
                 PreparedStatement select = orders.prepareStatement("SELECT count(*) FROM price_snapshot WHERE product_id = ANY(?)")) {
                select.setArray(1, orders.createArrayOf("text", products.toArray()));
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot read order-service's price snapshot", e);
            }
        }

        /** From the catalog's change of the product to order-service's snapshot of it (their own clocks). */
        private Duration priceSnapshotDelay(String productId) {
            Instant giveUp = Instant.now().plus(DRAIN_LIMIT);
            while (true) {
                try (Connection orders = ordersDatabase();
                     PreparedStatement select = orders.prepareStatement(
                             "SELECT changed_at, received_at FROM price_snapshot WHERE product_id = ?")) {
                    select.setString(1, productId);
                    try (ResultSet rows = select.executeQuery()) {
                        if (rows.next()) {
                            return Duration.between(rows.getObject(1, OffsetDateTime.class),
                                    rows.getObject(2, OffsetDateTime.class));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException("Cannot read order-service's price snapshot", e);
                }
                assertThat(Instant.now()).as("price of %s reaches order-service", productId).isBefore(giveUp);
                pause(Duration.ofMillis(200));
            }
        }

        private Connection ordersDatabase() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://localhost:" + platform.ports().postgres() + "/orders",
                    "postgres", "postgres");
        }
    }

    /** One line of one unit; the customer's personal data differs per order, as it would. */
    private static String orderBody(int index, String productId) {
        return json.writeValueAsString(Map.of("currency", "EUR",
                "lines", List.of(Map.of("productId", productId, "quantity", 1)),
                "customer", Map.of("name", "Load Customer " + index, "email", "load" + index + "@example.com",
                        "phone", "+49 30 1234567"),
                "shippingAddress", Map.of("line1", "Hauptstrasse " + (index % 200 + 1), "postalCode", "10115",
                        "city", "Berlin", "country", "DE")));
    }

    private static List<Long> millis(List<Stages> orders, Function<Stages, Duration> stage) {
        return orders.stream().map(stage).map(Duration::toMillis).toList();
    }

    private static String quantiles(List<Long> millis) {
        return String.format("p50 %6d ms  p99 %6d ms", percentile(millis, 50), percentile(millis, 99));
    }

    private static long max(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    static long percentile(List<Long> values, double percentile) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(percentile / 100 * sorted.size()) - 1));
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
