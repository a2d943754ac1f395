package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the tests do with the platform, only through the gateway and with the tokens its users have: catalog
 * managers stock products, alice (a customer) orders them. Every request goes through the contract proxy, so a
 * response outside the API documents fails the test that sent it.
 */
final class Shop {

    static final Set<String> TERMINAL = Set.of("CONFIRMED", "REJECTED", "CANCELLED");
    /** Sagas cross two CDC relays and Kafka twice; on a busy 2-core machine that can take a while. */
    static final Duration SAGA_TIMEOUT = Duration.ofMinutes(3);

    final LocalPlatform platform;
    final GatewayClient gateway;

    /** A shop through the contract proxy in front of the suite's shared platform. */
    Shop(LocalPlatform platform) {
        this(platform, RunningPlatform.contract().client());
    }

    Shop(LocalPlatform platform, GatewayClient gateway) {
        this.platform = platform;
        this.gateway = gateway;
    }

    /** The token of the demo user with this role (alice, carol, oscar, audrey, adam), as the gateway issued it. */
    String token(String role) {
        return platform.demoToken(role);
    }

    /** A new product in EUR with this much stock; returns its id. */
    String createProduct(String name, int stock) {
        GatewayClient.Response created = gateway.post("/api/catalog/products", token("CATALOG_MANAGER"), productBody(name, stock));
        assertThat(created.status()).as("create product: %s", created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    /** A new product's body: priced in EUR, a SKU of its own, this much stock. */
    static Map<String, Object> productBody(String name, int stock) {
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("sku", "E2E-" + UUID.randomUUID());
        product.put("name", name);
        product.put("price", Map.of("amount", "12.50", "currency", "EUR"));
        product.put("attributes", Map.of("suite", "e2e"));
        product.put("initialStock", stock);
        return product;
    }

    record Inventory(int available, int reserved, int sold) {
    }

    Inventory inventory(String productId) {
        GatewayClient.Response response = gateway.get("/api/catalog/products/" + productId + "/inventory", token("CUSTOMER"));
        assertThat(response.status()).as("inventory of %s: %s", productId, response.body()).isEqualTo(200);
        JsonNode json = response.json();
        return new Inventory(json.path("available").asInt(), json.path("reserved").asInt(), json.path("sold").asInt());
    }

    /** Alice's order body: one line per product, with her personal data. */
    static Map<String, Object> orderBody(Map<String, Integer> quantities) {
        return orderBody(quantities, "Alice Example", "alice@example.com");
    }

    /** An order body: one line per product, with this customer's name and e-mail (and a Berlin address). */
    static Map<String, Object> orderBody(Map<String, Integer> quantities, String name, String email) {
        List<Map<String, Object>> lines = new ArrayList<>();
        quantities.forEach((productId, quantity) -> lines.add(Map.of("productId", productId, "quantity", quantity)));
        Map<String, Object> address = new HashMap<>(Map.of("line1", "Hauptstrasse 1", "postalCode", "10115",
                "city", "Berlin", "country", "DE"));
        return Map.of("currency", "EUR", "lines", lines,
                "customer", Map.of("name", name, "email", email, "phone", "+49 30 1234567"),
                "shippingAddress", address);
    }

    /** One attempt to place alice's order under this idempotency key. */
    GatewayClient.Response tryPlace(String idempotencyKey, Map<String, Integer> quantities) {
        return tryPlace(token("CUSTOMER"), idempotencyKey, quantities);
    }

    /** One attempt to place the customer's order (the body has alice's personal data) under this idempotency key. */
    GatewayClient.Response tryPlace(String customerToken, String idempotencyKey, Map<String, Integer> quantities) {
        return gateway.post("/api/orders", customerToken, orderBody(quantities), Map.of("Idempotency-Key", idempotencyKey));
    }

    /**
     * Places alice's order and returns its id. order-service prices from its own snapshot, which it learns from the
     * catalog's events, so a product created a moment ago may be unknown to it for a while: that 400 changes nothing,
     * and the same request is sent again. So is a 5xx while a service restarts (the idempotency key makes the retry safe).
     */
    String placeOrder(String idempotencyKey, Map<String, Integer> quantities) {
        return placeOrder(token("CUSTOMER"), idempotencyKey, quantities);
    }

    /** The same for the customer whose token this is. */
    String placeOrder(String customerToken, String idempotencyKey, Map<String, Integer> quantities) {
        return placed(customerToken, idempotencyKey, quantities).json().path("id").asString();
    }

    /** As {@link #placeOrder(String, String, Map)}, answering the gateway's 201 response. */
    GatewayClient.Response placed(String customerToken, String idempotencyKey, Map<String, Integer> quantities) {
        return placedOrder(customerToken, idempotencyKey, orderBody(quantities));
    }

    /** The same with the order's whole body (another customer's personal data than alice's). */
    GatewayClient.Response placedOrder(String customerToken, String idempotencyKey, Map<String, Object> body) {
        AtomicReference<GatewayClient.Response> last = new AtomicReference<>();
        await("order " + idempotencyKey + " accepted").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    GatewayClient.Response response = gateway.post("/api/orders", customerToken, body,
                            Map.of("Idempotency-Key", idempotencyKey));
                    last.set(response);
                    boolean retryable = response.status() >= 500
                            || (response.status() == 400 && response.body().contains("no price is known"));
                    assertThat(retryable || response.status() == 201)
                            .as("placing order %s: %s %s", idempotencyKey, response.status(), response.body()).isTrue();
                    return response.status() == 201;
                });
        return last.get();
    }

    String placeOrder(Map<String, Integer> quantities) {
        return placeOrder(UUID.randomUUID().toString(), quantities);
    }

    JsonNode order(String orderId) {
        return order(token("CUSTOMER"), orderId);
    }

    JsonNode order(String customerToken, String orderId) {
        GatewayClient.Response response = gateway.get("/api/orders/" + orderId, customerToken);
        assertThat(response.status()).as("order %s: %s", orderId, response.body()).isEqualTo(200);
        return response.json();
    }

    JsonNode awaitStatus(String orderId, String status) {
        return awaitStatus(token("CUSTOMER"), orderId, status);
    }

    /** Waits until the customer whose token this is reads the order in this status. */
    JsonNode awaitStatus(String customerToken, String orderId, String status) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await("order " + orderId + " " + status).atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    last.set(order(customerToken, orderId));
                    assertThat(last.get().path("status").asString()).isEqualTo(status);
                });
        return last.get();
    }

    /** Alice's orders by id with their status, read from her order list (one request per 100 orders). */
    Map<String, String> statuses() {
        return statuses(token("CUSTOMER"));
    }

    /** The same for the customer whose token this is. */
    Map<String, String> statuses(String customerToken) {
        Map<String, String> statuses = new HashMap<>();
        summaries(customerToken).forEach((id, summary) -> statuses.put(id, summary.path("status").asString()));
        return statuses;
    }

    /** Alice's orders by id as her order list shows them (status, placedAt, updatedAt, ...). */
    Map<String, JsonNode> summaries() {
        return summaries(token("CUSTOMER"));
    }

    /** The same for the customer whose token this is. */
    Map<String, JsonNode> summaries(String customerToken) {
        Map<String, JsonNode> summaries = new HashMap<>();
        String cursor = null;
        do {
            GatewayClient.Response page = gateway.get("/api/orders?limit=100" + (cursor == null ? "" : "&cursor=" + cursor),
                    customerToken);
            assertThat(page.status()).as("the customer's orders: %s", page.body()).isEqualTo(200);
            page.json().path("items").forEach(item -> summaries.put(item.path("id").asString(), item));
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isNull() || next.isMissingNode() ? null : URLEncoder.encode(next.asString(), StandardCharsets.UTF_8);
        } while (cursor != null);
        return summaries;
    }

    /** Waits until every one of alice's orders is CONFIRMED, REJECTED or CANCELLED; returns their statuses. */
    Map<String, String> awaitTerminal(Collection<String> orderIds) {
        return awaitTerminal(token("CUSTOMER"), orderIds);
    }

    /** The same for the customer whose token this is. */
    Map<String, String> awaitTerminal(String customerToken, Collection<String> orderIds) {
        AtomicReference<Map<String, String>> last = new AtomicReference<>(Map.of());
        await().alias("every order terminal").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    Map<String, String> all = statuses(customerToken);
                    Map<String, String> ours = new HashMap<>();
                    orderIds.forEach(id -> ours.put(id, all.get(id)));
                    last.set(ours);
                    assertThat(ours).as("orders not yet terminal").allSatisfy((id, status) -> assertThat(status).isIn(TERMINAL));
                });
        return last.get();
    }

    /** Waits until nothing of the product is reserved any more; returns its inventory then. */
    Inventory awaitNothingReserved(String productId) {
        AtomicReference<Inventory> last = new AtomicReference<>();
        await("nothing of " + productId + " reserved").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    last.set(inventory(productId));
                    assertThat(last.get().reserved()).isZero();
                });
        return last.get();
    }

    /**
     * Stock is conserved: for each product available + sold == initial, nothing stays reserved, and sold is exactly
     * what the confirmed orders bought.
     *
     * @param orders   every order placed on these products, by id, with its quantities
     * @param statuses their final statuses
     */
    void assertStockConserved(List<String> products, int initialStock, Map<String, Map<String, Integer>> orders,
                              Map<String, String> statuses) {
        List<String> failures = new ArrayList<>();
        for (String product : products) {
            Inventory inventory = awaitNothingReserved(product);
            int confirmed = orders.entrySet().stream()
                    .filter(order -> "CONFIRMED".equals(statuses.get(order.getKey())))
                    .mapToInt(order -> order.getValue().getOrDefault(product, 0)).sum();
            if (inventory.available() + inventory.sold() != initialStock || inventory.sold() != confirmed) {
                failures.add(product + ": " + inventory + ", initial " + initialStock + ", confirmed orders bought " + confirmed);
            }
        }
        assertThat(failures).as("stock not conserved; order statuses %s", statuses).isEmpty();
    }
}
