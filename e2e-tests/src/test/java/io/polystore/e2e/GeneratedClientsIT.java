package io.polystore.e2e;

import io.polystore.client.audit.api.AuditTrailApi;
import io.polystore.client.audit.model.AuditRecordView;
import io.polystore.client.audit.model.RecordPage;
import io.polystore.client.catalog.api.ProductsApi;
import io.polystore.client.catalog.model.CreateProductRequest;
import io.polystore.client.catalog.model.PriceRequest;
import io.polystore.client.catalog.model.ProductPage;
import io.polystore.client.catalog.model.ProductView;
import io.polystore.client.gateway.api.OAuth2Api;
import io.polystore.client.gateway.model.TokenResponse;
import io.polystore.client.orders.api.OrdersApi;
import io.polystore.client.orders.model.CustomerRequest;
import io.polystore.client.orders.model.OrderLineRequest;
import io.polystore.client.orders.model.OrderView;
import io.polystore.client.orders.model.PlaceOrderRequest;
import io.polystore.client.orders.model.ShippingAddressRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * An API consumer's view: only the Java clients generated from the checked-in documents ({@code api/}), no
 * hand-written HTTP, through Prism's validating proxy, so that what the clients read is also checked against the
 * documents. A catalog manager creates a product; alice finds it in the catalog, places, reads and cancels an order
 * of it; an auditor reads the order's saga in the audit trail. A machine client discovers the gateway, gets a token,
 * and uses introspection and revocation.
 */
@ExtendWith(RunningPlatform.class)
class GeneratedClientsIT {

    @Test
    void aCustomerPlacesReadsAndCancelsAnOrderAndAnAuditorReadsTheTrailThroughTheGeneratedClients() throws Exception {
        ProductsApi catalogManager = products("CATALOG_MANAGER");
        String sku = "CLIENT-" + UUID.randomUUID();
        ProductView product = catalogManager.createProduct(new CreateProductRequest().sku(sku)
                .name("Generated client kettle").price(new PriceRequest().amount(new BigDecimal("19.90")).currency("EUR"))
                .initialStock(5));

        ProductsApi customerCatalog = products("CUSTOMER");
        ProductPage found = customerCatalog.searchProducts(sku, null, null, null, null, null, null, null, null, null);
        assertThat(found.getItems()).extracting(ProductView::getId).containsExactly(product.getId());
        assertThat(found.getNextCursor()).isNull();
        assertThat(customerCatalog.getProduct(product.getId()).getPrice().getAmount()).isEqualByComparingTo("19.90");

        OrdersApi orders = orders("CUSTOMER");
        PlaceOrderRequest order = new PlaceOrderRequest().currency("EUR")
                .lines(List.of(new OrderLineRequest().productId(product.getId()).quantity(2)))
                .customer(new CustomerRequest().name("Alice Example").email("alice@example.com").phone("+49 30 1234567"))
                .shippingAddress(new ShippingAddressRequest().line1("Hauptstrasse 1").postalCode("10115").city("Berlin")
                        .country("DE"));
        OrderView placed = placeOnceThePriceIsKnown(orders, UUID.randomUUID().toString(), order);
        assertThat(placed.getStatus()).isEqualTo(OrderView.StatusEnum.PENDING);
        assertThat(placed.getStatusReason()).isNull();
        assertThat(placed.getPersonalData().getShippingAddress().getLine2()).isNull();

        assertThat(orders.getOrder(placed.getId()).getTotal().getAmount()).isEqualByComparingTo("39.80");
        OrderView cancelled = orders.cancelOrder(placed.getId());
        assertThat(cancelled.getStatus()).isEqualTo(OrderView.StatusEnum.CANCELLED);
        assertThat(cancelled.getStatusReason()).contains("by the customer");
        assertThat(orders.getOrderHistory(placed.getId()).getFirst().getFrom()).isNull();

        AuditTrailApi audit = auditTrail("AUDITOR");
        AtomicReference<RecordPage> trail = new AtomicReference<>();
        String orderId = placed.getId().toString();
        await("the cancellation in the audit trail").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    trail.set(audit.searchRecords(null, orderId, "SAGA_TRANSITION", null, null, 100, null));
                    assertThat(trail.get().getRecords()).extracting(AuditRecordView::getDetails)
                            .anySatisfy(details -> assertThat(((Map<?, ?>) details).get("to")).isIn("RELEASING", "CANCELLED"));
                });
        assertThat(trail.get().getRecords()).extracting(AuditRecordView::getSubject).containsOnly(orderId);
    }

    @Test
    void aMachineGetsChecksAndRevokesATokenThroughTheGeneratedGatewayClient() throws Exception {
        OAuth2Api anyone = oauth2(request -> {
        });
        assertThat(anyone.getOpenIdConfiguration().getTokenEndpoint().getPath()).isEqualTo("/oauth2/token");
        assertThat(anyone.getAuthorizationServerMetadata().getIssuer())
                .isEqualTo(anyone.getOpenIdConfiguration().getIssuer());
        assertThat(anyone.getJwkSet().getKeys()).isNotEmpty();

        OAuth2Api machine = oauth2(basic("demo-machine", "demo-machine-secret"));
        TokenResponse token = machine.issueToken("client_credentials", null, null, null, null, null, null);
        assertThat(token.getTokenType()).isEqualTo(TokenResponse.TokenTypeEnum.BEARER);
        assertThat(token.getExpiresIn()).isPositive();
        // The gateway keeps no authorization for the client credentials grant (its JWTs are self-contained), so
        // introspection knows such a token as little as a made-up one, and revoking either changes nothing.
        assertThat(machine.introspectToken("made-up", null).getActive()).isFalse();
        machine.revokeToken("made-up", "access_token");
        // User info is about a person: a machine's token (no openid scope) gets none.
        io.polystore.client.gateway.ApiException noPerson = catchThrowableOfType(io.polystore.client.gateway.ApiException.class,
                () -> oauth2(request -> request.header("Authorization", "Bearer " + token.getAccessToken())).getUserInfo());
        assertThat(noPerson.getCode()).isIn(401, 403);

        io.polystore.client.gateway.ApiException refused = catchThrowableOfType(
                io.polystore.client.gateway.ApiException.class,
                () -> oauth2(basic("demo-machine", "wrong")).issueToken("client_credentials", null, null, null, null, null, null));
        assertThat(refused.getCode()).isEqualTo(401);
        assertThat(refused.getResponseBody()).contains("invalid_client");
    }

    /**
     * order-service learns a new product's price from the catalog's events, so for a moment it may not know it: that
     * 400 changes nothing and the same request (same idempotency key) is sent again.
     */
    private static OrderView placeOnceThePriceIsKnown(OrdersApi orders, String idempotencyKey, PlaceOrderRequest order) {
        AtomicReference<OrderView> placed = new AtomicReference<>();
        await("order accepted").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                placed.set(orders.placeOrder(idempotencyKey, order));
                return true;
            } catch (io.polystore.client.orders.ApiException e) {
                assertThat(e.getCode() == 400 && e.getResponseBody().contains("no price is known"))
                        .as("placing the order: %d %s", e.getCode(), e.getResponseBody()).isTrue();
                return false;
            }
        });
        return placed.get();
    }

    /** Each client as its document says: the service's path on the gateway, here behind the contract proxy. */
    private static ProductsApi products(String role) {
        io.polystore.client.catalog.ApiClient client = new io.polystore.client.catalog.ApiClient()
                .setRequestInterceptor(bearer(role));
        client.updateBaseUri(RunningPlatform.contract().url() + "/api/catalog");
        return new ProductsApi(client);
    }

    private static OrdersApi orders(String role) {
        io.polystore.client.orders.ApiClient client = new io.polystore.client.orders.ApiClient()
                .setRequestInterceptor(bearer(role));
        client.updateBaseUri(RunningPlatform.contract().url() + "/api");
        return new OrdersApi(client);
    }

    private static AuditTrailApi auditTrail(String role) {
        io.polystore.client.audit.ApiClient client = new io.polystore.client.audit.ApiClient()
                .setRequestInterceptor(bearer(role));
        client.updateBaseUri(RunningPlatform.contract().url() + "/api");
        return new AuditTrailApi(client);
    }

    private static OAuth2Api oauth2(Consumer<HttpRequest.Builder> credentials) {
        io.polystore.client.gateway.ApiClient client = new io.polystore.client.gateway.ApiClient()
                .setRequestInterceptor(credentials);
        client.updateBaseUri(RunningPlatform.contract().url().toString());
        return new OAuth2Api(client);
    }

    private static Consumer<HttpRequest.Builder> basic(String clientId, String secret) {
        String credentials = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return request -> request.header("Authorization", "Basic " + credentials);
    }

    private static Consumer<HttpRequest.Builder> bearer(String role) {
        String token = RunningPlatform.platform().demoToken(role);
        return request -> request.header("Authorization", "Bearer " + token);
    }
}
