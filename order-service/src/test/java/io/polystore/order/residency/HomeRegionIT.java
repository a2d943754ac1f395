package io.polystore.order.residency;

import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.servicedefaults.region.RegionProperties;
import io.polystore.servicedefaults.security.TokenRules;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Data residency: a customer homed in another region (their token's {@code region} claim) reads and writes none of
 * their orders and personal data here: 421 naming their home region, and nothing written. This region's customers,
 * tokens without the claim and staff acting for other customers are served as before.
 */
@OrderServiceIntegrationTest
class HomeRegionIT {

    private static final String ELSEWHERE = "region-2";

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RegionProperties region;

    static String book;

    String customer;

    @BeforeEach
    void setUp() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
        customer = "ana-" + UUID.randomUUID();
    }

    @Test
    void aCustomerOfAnotherRegionIsSentToItAndNothingIsWritten() {
        String token = token(customer, ELSEWHERE, "CUSTOMER");

        misdirected(api.place(token, UUID.randomUUID().toString(), orderBody("EUR", book)));
        misdirected(api.place(token, UUID.randomUUID().toString(), "{\"not\": \"an order\"}"));
        misdirected(api.get(token, "/orders"));
        misdirected(api.get(token, "/orders/" + UUID.randomUUID()));
        misdirected(api.get(token, "/orders/" + UUID.randomUUID() + "/history"));
        misdirected(api.post(token, "/orders/" + UUID.randomUUID() + "/cancel"));
        misdirected(api.get(token, "/customers/" + customer + "/personal-data"));
        misdirected(api.delete(token, "/customers/" + customer + "/personal-data"));

        assertThat(rows("SELECT count(*) FROM customer_order WHERE customer_id = :customer")).isZero();
        assertThat(rows("SELECT count(*) FROM keyvault.customer_key WHERE customer_id = :customer")).isZero();
        assertThat(rows("SELECT count(*) FROM outbox_event WHERE payload::text LIKE '%' || :customer || '%'")).isZero();
    }

    @Test
    void anErasureFromTheWrongRegionDestroysNothing() {
        UUID orderId = api.placeOrder(customer, book);

        misdirected(api.delete(token(customer, ELSEWHERE, "CUSTOMER"), "/customers/" + customer + "/personal-data"));

        assertThat(rows("SELECT count(*) FROM keyvault.customer_key WHERE customer_id = :customer")).isOne();
        JsonNode order = api.get(token(customer, region.name(), "CUSTOMER"), "/orders/" + orderId).body();
        assertThat(order.path("personalData").path("email").asString()).isEqualTo("alice@example.com");
    }

    @Test
    void thisRegionsCustomersAndTokensWithoutTheClaimAreServed() {
        String home = token(customer, region.name(), "CUSTOMER");
        Response placed = api.place(home, UUID.randomUUID().toString(), orderBody("EUR", book));
        assertThat(placed.status()).isEqualTo(201);
        assertThat(api.get(home, "/orders").status()).isEqualTo(200);
        assertThat(api.get(home, "/orders/" + placed.id()).status()).isEqualTo(200);

        String withoutClaim = OrderApi.token(customer, "CUSTOMER");
        assertThat(api.place(withoutClaim, UUID.randomUUID().toString(), orderBody("EUR", book)).status())
                .isEqualTo(201);
        assertThat(api.get(withoutClaim, "/orders").body().path("items").size()).isEqualTo(2);
    }

    @Test
    void staffActingForAnotherCustomerAreNotHeldToTheirOwnHomeRegion() {
        UUID orderId = api.placeOrder(customer, book);

        assertThat(api.get(token("mia", ELSEWHERE, "ORDER_MANAGER"), "/orders/" + orderId).status()).isEqualTo(200);
        assertThat(api.get(token("audrey", ELSEWHERE, "AUDITOR"), "/orders/" + orderId + "/history").status())
                .isEqualTo(200);
        assertThat(api.delete(token("root", ELSEWHERE, "ADMIN"), "/customers/" + customer + "/personal-data").status())
                .isEqualTo(204);
    }

    @Test
    void theApiDocumentsThe421WhereTheRuleApplies() {
        JsonNode paths = api.get(null, "/v3/api-docs").body().path("paths");

        for (JsonNode operation : List.of(paths.path("/orders").path("post"), paths.path("/orders").path("get"),
                paths.path("/orders/{orderId}").path("get"), paths.path("/orders/{orderId}/history").path("get"),
                paths.path("/orders/{orderId}/cancel").path("post"),
                paths.path("/customers/{customerId}/personal-data").path("get"),
                paths.path("/customers/{customerId}/personal-data").path("delete"))) {
            assertThat(operation.path("responses").path("421").path("content").path("application/problem+json")
                    .path("schema").path("$ref").asString()).as(operation.path("operationId").asString())
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(paths.path("/orders/all").path("get").path("responses").has("421")).isFalse();
        assertThat(paths.path("/personal-data/keys/rewrap").path("post").path("responses").has("421")).isFalse();
    }

    private void misdirected(Response response) {
        assertThat(response.status()).as(response.body().toString()).isEqualTo(421);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.body().path("type").asString()).isEqualTo(CustomerHomedElsewhereException.TYPE.toString());
        assertThat(response.body().path("homeRegion").asString()).isEqualTo(ELSEWHERE);
        assertThat(response.body().path("region").asString()).isEqualTo(region.name());
        assertThat(response.body().path("detail").asString()).contains(customer, ELSEWHERE);
    }

    private long rows(String sql) {
        return jdbc.sql(sql).param("customer", customer).query(Long.class).single();
    }

    private static String token(String subject, String homeRegion, String... roles) {
        return SharedServers.tokens().token(claims -> claims.subject(subject).claim("roles", List.of(roles))
                .claim(TokenRules.HOME_REGION_CLAIM, homeRegion));
    }
}
