package io.polystore.order.orders;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Found by Spring Data by its name, the fragment's plus {@code Impl}. */
class OrderReadsImpl implements OrderReads {

    private final JdbcClient jdbc;

    OrderReadsImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Order> findById(UUID id) {
        return jdbc.sql("""
                        SELECT o.id, o.customer_id, o.status, o.status_reason, o.total_amount, o.currency,
                            o.idempotency_key, o.request_fingerprint, o.personal_data_key_id, o.personal_data, o.version,
                            o.placed_at, o.updated_at,
                            l.product_id, l.sku, l.product_name, l.quantity, l.unit_price, l.line_total
                        FROM customer_order o LEFT JOIN order_line l ON l.order_id = o.id
                        WHERE o.id = ? ORDER BY l.line_no""")
                .param(id)
                .query(OrderReadsImpl::order);
    }

    /** The order of the first row with the lines of all rows (none when its one row has no line). */
    private static Optional<Order> order(ResultSet rows) throws SQLException {
        if (!rows.next()) {
            return Optional.empty();
        }
        Order order = new Order(rows.getObject("id", UUID.class), rows.getString("customer_id"),
                OrderStatus.valueOf(rows.getString("status")), rows.getString("status_reason"),
                rows.getBigDecimal("total_amount"), rows.getString("currency"), rows.getString("idempotency_key"),
                rows.getString("request_fingerprint"), rows.getObject("personal_data_key_id", UUID.class),
                rows.getBytes("personal_data"), List.of(), rows.getLong("version"), instant(rows, "placed_at"),
                instant(rows, "updated_at"));
        List<OrderLineItem> lines = new ArrayList<>();
        do {
            if (rows.getString("product_id") != null) {
                lines.add(new OrderLineItem(rows.getString("product_id"), rows.getString("sku"),
                        rows.getString("product_name"), rows.getInt("quantity"), rows.getBigDecimal("unit_price"),
                        rows.getBigDecimal("line_total")));
            }
        } while (rows.next());
        return Optional.of(order.withLines(lines));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        return row.getObject(column, OffsetDateTime.class).toInstant();
    }
}
