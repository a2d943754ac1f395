package io.polystore.order.orders;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** Found by Spring Data by its name, the fragment's plus {@code Impl}. */
class OrderInsertsImpl implements OrderInserts {

    private static final long FIRST_VERSION = 0;

    private final JdbcClient jdbc;

    OrderInsertsImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Order insert(Order order) {
        jdbc.sql("""
                        INSERT INTO customer_order (id, customer_id, status, status_reason, total_amount, currency,
                            idempotency_key, request_fingerprint, personal_data_key_id, personal_data, version, placed_at,
                            updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(order.id(), order.customerId(), order.status().name(), order.statusReason(), order.totalAmount(),
                        order.currency(), order.idempotencyKey(), order.requestFingerprint(), order.personalDataKeyId(),
                        order.personalData(), FIRST_VERSION, OffsetDateTime.ofInstant(order.placedAt(), ZoneOffset.UTC),
                        OffsetDateTime.ofInstant(order.updatedAt(), ZoneOffset.UTC))
                .update();
        if (!order.lines().isEmpty()) {
            StringBuilder sql = new StringBuilder("INSERT INTO order_line (order_id, line_no, product_id, sku, product_name,"
                    + " quantity, unit_price, line_total) VALUES ");
            List<Object> values = new ArrayList<>();
            for (int lineNo = 0; lineNo < order.lines().size(); lineNo++) {
                OrderLineItem line = order.lines().get(lineNo);
                sql.append(lineNo == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?, ?)");
                values.addAll(List.of(order.id(), lineNo, line.productId(), line.sku(), line.productName(), line.quantity(),
                        line.unitPrice(), line.lineTotal()));
            }
            jdbc.sql(sql.toString()).params(values).update();
        }
        return order.withVersion(FIRST_VERSION);
    }
}
