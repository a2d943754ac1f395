package io.polystore.sync.reconciliation.internal;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.SqlArrayValue;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads order-service's orders, lines and saga states in one statement, so from one consistent snapshot. */
public final class OrderReader implements AutoCloseable {

    private final HikariDataSource orders;
    private final JdbcClient jdbc;

    /** @param orders a read-only pool on order-service's database; closed with this reader */
    public OrderReader(HikariDataSource orders) {
        this.orders = orders;
        this.jdbc = JdbcClient.create(orders);
    }

    private record Line(String orderId, String status, String sagaState, OffsetDateTime changedAt, String productId,
                        int quantity) {
    }

    /** Every CONFIRMED order, and the orders with these ids whatever their status. */
    public List<OrderSnapshot> confirmedAnd(Collection<UUID> orderIds) {
        List<Line> lines = jdbc.sql("""
                        SELECT o.id, o.status, s.state, greatest(o.updated_at, s.updated_at), l.product_id, l.quantity
                        FROM customer_order o
                        LEFT JOIN order_saga s ON s.order_id = o.id
                        JOIN order_line l ON l.order_id = o.id
                        WHERE o.status = 'CONFIRMED' OR o.id = ANY (:ids)
                        ORDER BY o.id, l.line_no
                        """)
                .param("ids", new SqlArrayValue("uuid", orderIds.toArray()))
                .query((row, number) -> new Line(row.getString(1), row.getString(2), row.getString(3),
                        row.getObject(4, OffsetDateTime.class), row.getString(5), row.getInt(6)))
                .list();
        Map<String, OrderSnapshot> snapshots = new LinkedHashMap<>();
        for (Line line : lines) {
            snapshots.computeIfAbsent(line.orderId(), id -> new OrderSnapshot(id, line.status(), line.sagaState(),
                            line.changedAt().toInstant(), new LinkedHashMap<>()))
                    .quantities().merge(line.productId(), line.quantity(), Integer::sum);
        }
        return new ArrayList<>(snapshots.values());
    }

    @Override
    public void close() {
        orders.close();
    }
}
