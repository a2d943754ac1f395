package io.polystore.catalog.inventory;

import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogHttp.Reply;
import io.polystore.catalog.support.CatalogIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class InventoryApiIT {

    @Value("${local.server.port}")
    int port;

    CatalogHttp http;
    String productId;

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
        productId = http.post("/products", Map.of("sku", "SKU-" + UUID.randomUUID(), "name", "Stocked",
                "price", Map.of("amount", BigDecimal.ONE, "currency", "EUR"), "initialStock", 5)).json().path("id").asString();
    }

    @Test
    void addsUnitsAndSetsCountedStock() {
        Reply adjusted = http.post("/products/" + productId + "/inventory/adjustments", Map.of("quantity", 3, "reason", "delivery 42"));
        assertThat(adjusted.status()).isEqualTo(200);
        assertThat(adjusted.json().path("available").asLong()).isEqualTo(8);

        Reply counted = http.put("/products/" + productId + "/inventory", Map.of("available", 2, "reason", "stocktake"));
        assertThat(counted.json().path("available").asLong()).isEqualTo(2);
        assertThat(http.get("/products/" + productId + "/inventory").json().path("available").asLong()).isEqualTo(2);
    }

    @Test
    void refusesNegativeAdjustmentsAndChangesNothing() {
        Reply negative = http.post("/products/" + productId + "/inventory/adjustments", Map.of("quantity", -3));
        Reply zero = http.post("/products/" + productId + "/inventory/adjustments", Map.of("quantity", 0));
        Reply negativeCount = http.put("/products/" + productId + "/inventory", Map.of("available", -1));
        Reply notANumber = http.post("/products/" + productId + "/inventory/adjustments", "{\"quantity\": \"many\"}");

        for (Reply reply : new Reply[]{negative, zero}) {
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().path("errors").findValuesAsString("field")).containsExactly("quantity");
        }
        assertThat(negativeCount.json().path("errors").findValuesAsString("field")).containsExactly("available");
        assertThat(notANumber.json().path("errors").findValuesAsString("field")).containsExactly("quantity");
        assertThat(http.get("/products/" + productId + "/inventory").json().path("available").asLong()).isEqualTo(5);
    }

    @Test
    void answers404ForUnknownProductsAnd403ForCustomers() {
        assertThat(http.post("/products/no-such/inventory/adjustments", Map.of("quantity", 1)).status()).isEqualTo(404);
        assertThat(http.put("/products/no-such/inventory", Map.of("available", 1)).status()).isEqualTo(404);
        assertThat(http.postAsCustomer("/products/" + productId + "/inventory/adjustments", Map.of("quantity", 1)).status())
                .isEqualTo(403);
    }
}
