package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.platform.ServiceProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform as its users meet it, only through the gateway with the tokens it issues (issue 8): who may do what,
 * recommendations from purchases, the audit trail, reconciliation, and a crashed service.
 */
@ExtendWith(RunningPlatform.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformIT {

    /** The columns of the role matrix: the demo users' roles, the machine client, and no token at all. */
    private static final List<String> CALLERS = List.of("CUSTOMER", "CATALOG_MANAGER", "ORDER_MANAGER", "AUDITOR",
            "ADMIN", "MACHINE", "NONE");

    private static Shop shop;
    private static Instant started;

    @BeforeAll
    static void shop() {
        shop = new Shop(RunningPlatform.platform());
        started = Instant.now();
    }

    @Test
    @Order(1)
    void theRoleMatrixHoldsThroughTheGateway() {
        String product = shop.createProduct("Matrix mug", 100);
        String order = shop.placeOrder(Map.of(product, 1));
        Map<String, String> tokens = new LinkedHashMap<>();
        List.of("CUSTOMER", "CATALOG_MANAGER", "ORDER_MANAGER", "AUDITOR", "ADMIN").forEach(role -> tokens.put(role, shop.token(role)));
        tokens.put("MACHINE", shop.gateway.clientCredentialsToken("demo-machine", "demo-machine-secret"));

        record Row(String method, String path, Object body, Integer... statuses) {
        }
        // Expected status per caller, in the order of CALLERS; null: not checked here. The gateway refuses what its
        // route rules do not grant; the services refuse what their own rules do not (ADMIN may not change the
        // catalog, nor list "my orders").
        List<Row> matrix = List.of(
                new Row("GET", "/api/catalog/products?limit=1", null, 200, 200, 200, 200, 200, 200, 401),
                new Row("POST", "/api/catalog/categories", Map.of("name", "Matrix"), 403, 201, 403, 403, 403, 403, 401),
                new Row("GET", "/api/orders", null, 200, 403, 403, 403, 403, 403, 401),
                new Row("GET", "/api/orders/all", null, 403, 403, 200, 403, 200, 200, 401),
                // AUDITOR reads it with the personal data masked.
                new Row("GET", "/api/orders/" + order, null, 200, 403, 200, 200, 200, 200, 401),
                new Row("POST", "/api/orders", Shop.orderBody(Map.of(product, 1)), 201, 403, 403, 403, 403, 403, 401),
                new Row("GET", "/api/audit/records?limit=1", null, 403, 403, 403, 200, 200, 403, 401),
                new Row("GET", "/api/audit/verify", null, 403, 403, 403, 200, 200, 403, 401),
                // ADMIN's run is reconciliationFindsNoDrift.
                new Row("POST", "/api/sync/reconciliation/runs", Map.of("repair", false), 403, 403, 403, 403, null, 403, 401));

        List<String> wrong = new ArrayList<>();
        List<String> placed = new ArrayList<>(List.of(order));
        for (Row row : matrix) {
            for (int i = 0; i < CALLERS.size(); i++) {
                Integer expected = row.statuses()[i];
                if (expected == null) {
                    continue;
                }
                String caller = CALLERS.get(i);
                GatewayClient.Response response = shop.gateway.send(row.method(), row.path(), tokens.get(caller),
                        row.body(), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
                if (response.status() != expected) {
                    wrong.add(caller + " " + row.method() + " " + row.path() + ": " + response.status() + ", expected " + expected);
                }
                if (row.path().equals("/api/orders") && response.status() == 201) {
                    placed.add(response.json().path("id").asString());
                }
            }
        }
        assertThat(wrong).as("role matrix violations").isEmpty();
        shop.awaitTerminal(placed);
    }

    @Test
    @Order(2)
    void recommendationsReflectConfirmedPurchases() {
        String headphones = shop.createProduct("Reco headphones", 10);
        String headphoneCase = shop.createProduct("Reco case", 10);

        shop.awaitStatus(shop.placeOrder(Map.of(headphones, 1, headphoneCase, 1)), "CONFIRMED");

        await("recommendations of " + headphones).atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    GatewayClient.Response response = shop.gateway.get(
                            "/api/catalog/products/" + headphones + "/recommendations", shop.token("CUSTOMER"));
                    assertThat(response.status()).as(response.body()).isEqualTo(200);
                    List<String> boughtTogether = new ArrayList<>();
                    response.json().path("boughtTogether").forEach(item -> boughtTogether.add(item.path("product").path("id").asString()));
                    assertThat(boughtTogether).contains(headphoneCase);
                });
    }

    @Test
    @Order(3)
    void theAuditTrailShowsTheAccessesAndVerifies() {
        String alice = shop.token("CUSTOMER");
        assertThat(shop.gateway.get("/api/orders?limit=1", alice).status()).isEqualTo(200);
        assertThat(shop.gateway.get("/api/audit/records", alice).status()).isEqualTo(403);

        String auditor = shop.token("AUDITOR");
        await("alice's accesses in the audit trail").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    GatewayClient.Response records = shop.gateway.get(
                            "/api/audit/records?actor=alice&limit=1000&from=" + started, auditor);
                    assertThat(records.status()).as(records.body()).isEqualTo(200);
                    List<String> accesses = new ArrayList<>();
                    for (JsonNode record : records.json().path("records")) {
                        JsonNode details = record.path("details");
                        accesses.add(record.path("action").asString() + " " + details.path("method").asString() + " "
                                + details.path("status").asInt());
                    }
                    assertThat(accesses).contains("ACCESS_ALLOW GET 200", "ACCESS_DENY GET 403");
                });

        GatewayClient.Response verification = shop.gateway.get("/api/audit/verify", auditor);
        assertThat(verification.status()).as(verification.body()).isEqualTo(200);
        assertThat(verification.json().path("status").asString()).as(verification.body()).isEqualTo("INTACT");
    }

    @Test
    @Order(4)
    void aServiceKilledMidBurstLeavesEveryOrderTerminalAndStockConserved() throws Exception {
        int initialStock = 12;
        List<String> products = List.of(shop.createProduct("Crash lamp", initialStock), shop.createProduct("Crash desk", initialStock));
        // order-service knows both prices once this one is placed.
        Map<String, Integer> warmUpLines = Map.of(products.get(0), 1, products.get(1), 1);
        String warmUp = shop.placeOrder(warmUpLines);
        // 20 orders of 1 or 2 units from four clients at once; order-service is killed once 8 have been answered,
        // so that requests are in flight. A request that failed is sent again with its idempotency key once the
        // service is back: it either placed its order before the crash or places it now, never twice.
        Map<String, Map<String, Integer>> attempts = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            attempts.put(UUID.randomUUID().toString(), Map.of(products.get(i % 2), 1 + i % 2));
        }
        ServiceProcess orderService = shop.platform.service(PlatformService.ORDERS);
        CountDownLatch answered = new CountDownLatch(8);
        Map<String, String> placed = new ConcurrentHashMap<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<?>> sent = new ArrayList<>();
            attempts.forEach((key, lines) -> sent.add(clients.submit(() -> {
                try {
                    GatewayClient.Response response = shop.tryPlace(key, lines);
                    if (response.status() == 201) {
                        placed.put(key, response.json().path("id").asString());
                    }
                } finally {
                    answered.countDown();
                }
            })));
            answered.await();
            orderService.kill();
            for (Future<?> request : sent) {
                request.get();
            }
        }
        // The shipped alert rules see it: PolystoreServiceDown fires once order-service has been down for a minute.
        await("PolystoreServiceDown firing for order-service").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                .until(() -> RunningPlatform.prometheus().alerts().stream().anyMatch(alert ->
                        alert.path("labels").path("alertname").asString().equals("PolystoreServiceDown")
                                && alert.path("labels").path("application").asString().equals("order-service")
                                && alert.path("state").asString().equals("firing")));
        orderService.start().awaitReady(Duration.ofMinutes(3));

        Map<String, Map<String, Integer>> orders = new LinkedHashMap<>(Map.of(warmUp, warmUpLines));
        attempts.forEach((key, lines) -> orders.put(placed.containsKey(key) ? placed.get(key) : shop.placeOrder(key, lines), lines));
        assertThat(orders).hasSize(attempts.size() + 1);

        Map<String, String> statuses = shop.awaitTerminal(orders.keySet());

        shop.assertStockConserved(products, initialStock, orders, statuses);
    }

    @Test
    @Order(5)
    void reconciliationFindsNoDrift() throws InterruptedException {
        Map<String, String> statuses = shop.awaitTerminal(shop.statuses().keySet());
        // Reconciliation skips what changed within its grace period (10 s in the local profile): wait until every
        // order of this suite is old enough to be compared.
        Thread.sleep(Duration.ofSeconds(11));

        GatewayClient.Response run = shop.gateway.post("/api/sync/reconciliation/runs", shop.token("ADMIN"), Map.of("repair", false));

        assertThat(run.status()).as(run.body()).isEqualTo(201);
        // It reads every CONFIRMED order (and those of reservations holding stock).
        long confirmed = statuses.values().stream().filter("CONFIRMED"::equals).count();
        assertThat(run.json().path("ordersChecked").asInt()).as(run.body()).isGreaterThanOrEqualTo((int) confirmed);
        assertThat(run.json().path("driftCount").asInt(-1)).as(run.body()).isZero();
        assertThat(run.json().path("drift").isEmpty()).as(run.body()).isTrue();
    }

    @Test
    @Order(6)
    void federatedReportsAndQueriesThroughTheGateway() {
        String product = shop.createProduct("Federated lamp", 50);
        String order = shop.placeOrder(Map.of(product, 3));
        shop.awaitStatus(order, "CONFIRMED");
        String period = "from=" + started.minus(Duration.ofHours(1)) + "&to=" + Instant.now().plus(Duration.ofHours(1));

        GatewayClient.Response top = shop.gateway.get("/api/sync/reports/top-products?limit=100&" + period,
                shop.token("ORDER_MANAGER"));
        assertThat(top.status()).as(top.body()).isEqualTo(200);
        JsonNode lamp = null;
        for (JsonNode item : top.json().path("items")) {
            if (item.path("productId").asString().equals(product)) {
                lamp = item;
            }
        }
        assertThat(lamp).as("the lamp in %s", top.body()).isNotNull();
        assertThat(lamp.path("unitsSold").asInt()).isEqualTo(3);
        assertThat(lamp.path("available").asInt()).isEqualTo(47);
        assertThat(top.json().path("freshness")).hasSize(2);
        assertThat(shop.gateway.get("/api/sync/reports/revenue-by-category?" + period, shop.token("ORDER_MANAGER")).status())
                .isEqualTo(200);

        GatewayClient.Response query = shop.gateway.post("/api/sync/query", shop.token("AUDITOR"), Map.of("sql",
                "SELECT SUM(quantity) FROM orders.order_line WHERE product_id = '" + product + "'"));
        assertThat(query.status()).as(query.body()).isEqualTo(200);
        assertThat(query.json().path("rows").get(0).get(0).asInt()).isEqualTo(3);
        assertThat(shop.gateway.get("/api/sync/reports/top-products?" + period, shop.token("CUSTOMER")).status()).isEqualTo(403);
        assertThat(shop.gateway.post("/api/sync/query", shop.token("CUSTOMER"), Map.of("sql", "SELECT 1")).status()).isEqualTo(403);
        assertThat(shop.gateway.post("/api/sync/query", shop.token("ORDER_MANAGER"), Map.of("sql", "SELECT 1")).status()).isEqualTo(403);

        // The auditor's query is in the audit trail under the auditor's name.
        await().atMost(Duration.ofSeconds(60)).until(() -> shop.gateway.get(
                        "/api/audit/records?action=FEDERATED_QUERY&actor=audrey", shop.token("AUDITOR")).json().path("records"),
                records -> records.size() >= 1);
    }
}
