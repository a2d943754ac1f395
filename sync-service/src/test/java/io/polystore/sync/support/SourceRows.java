package io.polystore.sync.support;

import io.polystore.surrealdb.SurrealClient;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes the outcome of an order saga straight into the source stores, as order-service (order, lines, saga row)
 * and catalog-service (reservation) store it, so that tests can set up consistent and drifting states.
 */
public final class SourceRows {

    private SourceRows() {
    }

    /** An order with one line per product, its saga in {@code sagaState}, both last changed at {@code changedAt}. */
    public static UUID order(String status, String sagaState, Instant changedAt, Map<String, Integer> quantities) {
        UUID id = UUID.randomUUID();
        var orders = SourceStores.orders();
        orders.sql("""
                        INSERT INTO customer_order (id, customer_id, status, total_amount, currency, idempotency_key,
                                                    request_fingerprint, personal_data_key_id, personal_data, version,
                                                    placed_at, updated_at)
                        VALUES (:id, 'alice', :status, 10, 'EUR', :id::text, 'fingerprint', :id, '\\x00', 1, :at, :at)
                        """)
                .param("id", id).param("status", status).param("at", changedAt.atOffset(ZoneOffset.UTC)).update();
        int lineNo = 0;
        for (Map.Entry<String, Integer> line : quantities.entrySet()) {
            orders.sql("""
                            INSERT INTO order_line (order_id, line_no, product_id, sku, product_name, quantity, unit_price, line_total)
                            VALUES (:id, :lineNo, :product, :product, :product, :quantity, 1, :quantity)
                            """)
                    .param("id", id).param("lineNo", ++lineNo).param("product", line.getKey())
                    .param("quantity", line.getValue()).update();
        }
        orders.sql("""
                        INSERT INTO order_saga (order_id, state, reservation_id, stock_released, deadline, attempts,
                                                started_at, updated_at, version)
                        VALUES (:id, :state, :id::text, false, NULL, 0, :at, :at, 1)
                        """)
                .param("id", id).param("state", sagaState).param("at", changedAt.atOffset(ZoneOffset.UTC)).update();
        return id;
    }

    /** The reservation of {@code orderId} as catalog-service keeps it, last changed at {@code changedAt}. */
    public static void reservation(UUID orderId, String status, Instant changedAt, Map<String, Integer> quantities) {
        List<Map<String, Object>> lines = new ArrayList<>();
        quantities.forEach((product, quantity) -> lines.add(Map.of("product_id", product, "quantity", quantity)));
        try (SurrealClient catalog = SourceStores.surrealCatalog()) {
            catalog.query("CREATE type::record('reservation', $id) CONTENT $reservation", Map.of("id", orderId.toString(),
                    "reservation", Map.of("order_id", orderId.toString(), "status", status, "lines", lines,
                            "created_at", changedAt, "updated_at", changedAt))).requireSuccess();
        }
    }
}
