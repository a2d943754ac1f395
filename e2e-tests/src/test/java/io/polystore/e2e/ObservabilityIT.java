package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPrometheus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What operators see of the platform (issue 14), checked against live data: after the rest of the suite has placed,
 * rejected and cancelled orders, crashed services and run reconciliation, every query of every shipped dashboard
 * panel returns data from a real Prometheus scraping the platform with the shipped configuration, every alert
 * expression evaluates, and one order's trace crosses the gateway, order-service, sync-service and catalog-service.
 * Runs after the other test classes.
 */
@ExtendWith(RunningPlatform.class)
@Order(Integer.MAX_VALUE - 2)
class ObservabilityIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** What Grafana puts in for the variables: every application and instance, and a rate window of a few scrapes. */
    private static final Map<String, String> VARIABLES = Map.of("$application", ".*", "$instance", ".*",
            "$__rate_interval", "1m", "$__range", "1h");

    private static Shop shop;
    private static LocalPrometheus prometheus;
    private static Path repository;

    @BeforeAll
    static void setUp() {
        shop = new Shop(RunningPlatform.platform());
        prometheus = RunningPlatform.prometheus();
        repository = Path.of(System.getProperty("polystore.repository", ".."));
    }

    @Test
    void everyDashboardPanelShowsData() throws IOException {
        // A few fresh orders, so that the rates over the last minute have something to show.
        String product = shop.createProduct("Dashboard lamp", 5);
        shop.awaitStatus(shop.placeOrder(Map.of(product, 1)), "CONFIRMED");
        shop.awaitStatus(shop.placeOrder(Map.of(product, 9)), "REJECTED");
        Map<String, List<String>> queries = panelQueries();
        assertThat(queries).as("panels of the six dashboards").hasSizeGreaterThan(50);

        await("every panel's queries return data").atMost(Duration.ofMinutes(1)).pollInterval(RunningPlatform.SCRAPE_INTERVAL)
                .untilAsserted(() -> {
                    List<String> empty = new ArrayList<>();
                    queries.forEach((panel, expressions) -> expressions.forEach(expression -> {
                        if (prometheus.query(substitute(expression)).isEmpty()) {
                            empty.add(panel + ": " + expression);
                        }
                    }));
                    assertThat(empty).as("panels whose query returned no series").isEmpty();
                });
    }

    @Test
    void everyAlertExpressionEvaluatesOnTheLivePlatform() {
        // The rules Prometheus loaded from the shipped file: each was evaluated without error, and evaluates now.
        List<JsonNode> rules = prometheus.ruleGroups().stream().flatMap(group -> group.path("rules").valueStream()).toList();
        assertThat(rules).hasSizeGreaterThanOrEqualTo(15);
        List<String> failing = new ArrayList<>();
        for (JsonNode rule : rules) {
            String name = rule.path("name").asString();
            if (!"ok".equals(rule.path("health").asString())) {
                failing.add(name + ": " + rule.path("health").asString() + " " + rule.path("lastError").asString());
            }
            try {
                prometheus.query(rule.path("query").asString());
            } catch (IllegalStateException refused) {
                failing.add(name + ": " + refused.getMessage());
            }
        }
        assertThat(failing).isEmpty();
    }

    @Test
    void oneOrdersTraceCrossesGatewayOrderCatalogAndSyncService() {
        String product = shop.createProduct("Traced kettle", 5);
        String traceId = HexFormat.of().formatHex(randomBytes(16));
        String traceparent = "00-" + traceId + "-" + HexFormat.of().formatHex(randomBytes(8)) + "-01";
        String idempotencyKey = UUID.randomUUID().toString();
        AtomicReference<GatewayClient.Response> placed = new AtomicReference<>();
        // order-service learns the new product's price from the catalog's events: until then it answers 400.
        await("the traced order accepted").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            placed.set(shop.gateway.send("POST", "/api/orders", shop.token("CUSTOMER"), Shop.orderBody(Map.of(product, 1)),
                    Map.of("Idempotency-Key", idempotencyKey, "traceparent", traceparent)));
            return placed.get().status() == 201;
        });
        shop.awaitStatus(placed.get().json().path("id").asString(), "CONFIRMED");

        OtlpTraceReceiver traces = RunningPlatform.traces();
        await("spans of trace " + traceId + " from every service on the order's way").atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    List<OtlpTraceReceiver.ReceivedSpan> spans = traces.spansOf(traceId);
                    Map<String, Set<String>> kindsByService = spans.stream().collect(Collectors.groupingBy(
                            OtlpTraceReceiver.ReceivedSpan::service,
                            Collectors.mapping(OtlpTraceReceiver.ReceivedSpan::kind, Collectors.toSet())));
                    assertThat(kindsByService).as("span kinds by service in trace %s (%d spans received in all)",
                                    traceId, traces.received())
                            .containsKeys("gateway", "order-service", "sync-service", "catalog-service");
                    // The request, and the saga's reply consumed from Kafka.
                    assertThat(kindsByService.get("order-service")).contains("SPAN_KIND_SERVER", "SPAN_KIND_CONSUMER");
                    // The ReserveStock command consumed from Kafka.
                    assertThat(kindsByService.get("catalog-service")).contains("SPAN_KIND_CONSUMER");
                    // Both relays: ReserveStock from PostgreSQL, StockReserved from SurrealDB.
                    assertThat(spans.stream().filter(span -> span.service().equals("sync-service"))
                            .map(OtlpTraceReceiver.ReceivedSpan::name))
                            .contains("relay ReserveStock", "relay StockReserved");
                });
    }

    private Map<String, List<String>> panelQueries() throws IOException {
        Map<String, List<String>> queries = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(repository.resolve(LocalPrometheus.DASHBOARDS))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
                JsonNode dashboard = JSON.readTree(Files.readString(file));
                dashboard.path("panels").forEach(panel -> panel.path("targets").forEach(target -> queries.computeIfAbsent(
                        dashboard.path("uid").asString() + " / " + panel.path("title").asString(),
                        key -> new ArrayList<>()).add(target.path("expr").asString())));
            }
        }
        return queries;
    }

    private static String substitute(String expression) {
        String result = expression;
        for (Map.Entry<String, String> variable : VARIABLES.entrySet()) {
            result = result.replace(variable.getKey(), variable.getValue());
        }
        return result;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
