package io.polystore.catalog.recommendation;

import io.polystore.catalog.reservation.StockReservations;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderLine;
import io.polystore.events.ReserveStock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class RecommendationApiIT {

    @Value("${local.server.port}")
    int port;
    @Autowired
    StockReservations reservations;

    @Test
    void ranksBoughtTogetherAndCustomersAlsoBoughtAndLeavesOutInactiveProducts() {
        CatalogHttp http = new CatalogHttp(port);
        String tent = create(http, "Tent");
        String mat = create(http, "Mat");
        String stove = create(http, "Stove");
        String retired = create(http, "Retired lantern");
        confirm("dana", tent, mat, stove, retired);
        confirm("eli", tent, mat);
        confirm("eli", stove);
        assertThat(http.delete("/products/" + retired).status()).isEqualTo(204);

        JsonNode recommendations = http.get("/products/" + tent + "/recommendations?limit=5").json();

        assertThat(recommendations.path("productId").asString()).isEqualTo(tent);
        JsonNode together = recommendations.path("boughtTogether");
        assertThat(together.findValuesAsString("name")).containsExactly("Mat", "Stove");
        assertThat(together.get(0).path("score").asLong()).isEqualTo(2);
        assertThat(together.get(0).path("product").path("price").path("amount").toString()).isEqualTo("5.00");
        JsonNode alsoBought = recommendations.path("customersAlsoBought");
        assertThat(alsoBought.findValuesAsString("name")).containsExactly("Mat", "Stove");
        assertThat(alsoBought.get(1).path("score").asLong()).as("dana and eli bought a stove").isEqualTo(2);
        assertThat(http.get("/products/" + tent + "/recommendations?limit=0").status()).isEqualTo(400);
    }

    /** An order of one unit of each product, reserved and then confirmed, as the saga does. */
    private void confirm(String customer, String... productIds) {
        UUID order = UUID.randomUUID();
        List<OrderLine> lines = Arrays.stream(productIds).map(id -> new OrderLine(id, 1)).toList();
        ReserveStock reserve = new ReserveStock(order, lines, Instant.now().plusSeconds(300));
        reservations.reserve(EventEnvelope.of(reserve, "/order-service", Clock.systemUTC()), reserve);
        OrderConfirmed confirmed = new OrderConfirmed(order, customer + "-" + port, lines, Instant.now());
        reservations.confirm(EventEnvelope.of(confirmed, "/order-service", Clock.systemUTC()), confirmed);
    }

    private static String create(CatalogHttp http, String name) {
        return http.post("/products", Map.of("sku", "SKU-" + UUID.randomUUID(), "name", name,
                "price", Map.of("amount", new BigDecimal("5"), "currency", "EUR"), "initialStock", 10)).json().path("id").asString();
    }
}
