package io.polystore.order;

import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.testkit.spring.ServiceContractTests;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@OrderServiceIntegrationTest
class OrderServiceApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/orders";
    }

    @Test
    void documentsTheOrderApi() throws Exception {
        HttpResponse<String> response = get("/v3/api-docs", null);

        assertThat(response.body()).contains("\"/orders\"", "\"/orders/{orderId}\"", "\"/orders/{orderId}/history\"",
                "\"/orders/{orderId}/cancel\"", "\"/orders/all\"", "\"/customers/{customerId}/personal-data\"",
                "Idempotency-Key");
    }

    @Test
    void exposesTheOrderAndOutboxMetrics() throws Exception {
        HttpResponse<String> response = get("/actuator/prometheus", null);

        assertThat(response.body()).contains("polystore_orders_placed_total", "polystore_orders_sagas{",
                "polystore_outbox_backlog_rows", "polystore_outbox_oldest_age_seconds");
    }
}
