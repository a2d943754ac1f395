package io.polystore.deployment.support;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.GatewaySignIn;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The platform's main path, as people use it through the gateway: the demo catalog manager carol creates a product,
 * the demo customer alice orders it (tokens from the gateway's own sign-in), the saga confirms the order, and the
 * federation's report joins it with the catalog (sync-service's read-only users, made with the deployment's roles).
 */
public final class OrderThroughTheGateway {

    private static final Duration SAGA_TIMEOUT = Duration.ofMinutes(2);

    private OrderThroughTheGateway() {
    }

    /** @return the confirmed order as alice reads it */
    public static JsonNode placeAndConfirm(URI gatewayUrl, String skuPrefix) {
        Instant started = Instant.now();
        GatewayClient gateway = new GatewayClient(gatewayUrl);
        String carol = GatewaySignIn.accessToken(gatewayUrl, "carol", "polystore");
        String alice = GatewaySignIn.accessToken(gatewayUrl, "alice", "polystore");

        GatewayClient.Response product = gateway.post("/api/catalog/products", carol, Map.of(
                "sku", skuPrefix + "-" + UUID.randomUUID(), "name", "Polystore mug",
                "price", Map.of("amount", "12.50", "currency", "EUR"), "initialStock", 10));
        assertThat(product.status()).as("create product: %s", product.body()).isEqualTo(201);

        String orderId = place(gateway, alice, product.json().path("id").asString());
        AtomicReference<JsonNode> order = new AtomicReference<>();
        await("order " + orderId + " CONFIRMED").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            GatewayClient.Response response = gateway.get("/api/orders/" + orderId, alice);
            assertThat(response.status()).as("read order: %s", response.body()).isEqualTo(200);
            order.set(response.json());
            assertThat(order.get().path("status").asString()).isEqualTo("CONFIRMED");
        });
        assertTopProductsShow(gateway, product.json().path("id").asString(), started);
        return order.get();
    }

    /** The confirmed order's two units in the federation's report, beside the catalog's stock left. */
    private static void assertTopProductsShow(GatewayClient gateway, String productId, Instant since) {
        String oscar = GatewaySignIn.accessToken(gateway.base(), "oscar", "polystore");
        String period = "from=" + since.minus(Duration.ofMinutes(5)) + "&to=" + Instant.now().plus(Duration.ofMinutes(5));
        GatewayClient.Response top = gateway.get("/api/sync/reports/top-products?limit=100&" + period, oscar);
        assertThat(top.status()).as("top products: %s", top.body()).isEqualTo(200);
        JsonNode mug = null;
        for (JsonNode item : top.json().path("items")) {
            if (item.path("productId").asString().equals(productId)) {
                mug = item;
            }
        }
        assertThat(mug).as("the ordered product in %s", top.body()).isNotNull();
        assertThat(mug.path("unitsSold").asInt()).isEqualTo(2);
        assertThat(mug.path("available").asInt()).isEqualTo(8);
    }

    private static String place(GatewayClient gateway, String token, String productId) {
        Map<String, Object> body = Map.of("currency", "EUR", "lines", List.of(Map.of("productId", productId, "quantity", 2)),
                "customer", Map.of("name", "Alice Example", "email", "alice@example.com", "phone", "+49 30 1234567"),
                "shippingAddress", Map.of("line1", "Hauptstrasse 1", "postalCode", "10115", "city", "Berlin", "country", "DE"));
        String idempotencyKey = UUID.randomUUID().toString();
        AtomicReference<GatewayClient.Response> placed = new AtomicReference<>();
        // order-service learns the price from the catalog's event, relayed by sync-service: a moment after the
        // product was created, the price may not be known yet (400, nothing written), so the same request is repeated.
        await("order accepted").atMost(SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            GatewayClient.Response response = gateway.post("/api/orders", token, body, Map.of("Idempotency-Key", idempotencyKey));
            placed.set(response);
            assertThat(response.status() == 201 || response.body().contains("no price is known"))
                    .as("place order: %s %s", response.status(), response.body()).isTrue();
            return response.status() == 201;
        });
        return placed.get().json().path("id").asString();
    }
}
