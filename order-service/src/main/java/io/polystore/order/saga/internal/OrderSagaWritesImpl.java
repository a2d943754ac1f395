package io.polystore.order.saga.internal;

import io.polystore.order.saga.SagaState;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/** Found by Spring Data by its name, the fragment's plus {@code Impl}. */
class OrderSagaWritesImpl implements OrderSagaWrites {

    private static final long FIRST_VERSION = 0;

    private final JdbcClient jdbc;

    OrderSagaWritesImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<OrderSaga> lock(UUID orderId) {
        return jdbc.sql("""
                        SELECT state, reservation_id, stock_released, deadline, attempts, started_at, updated_at, version
                        FROM order_saga WHERE order_id = ? FOR UPDATE""")
                .param(orderId)
                .query((row, n) -> new OrderSaga(orderId, SagaState.valueOf(row.getString("state")),
                        row.getString("reservation_id"), row.getBoolean("stock_released"), instant(row, "deadline"),
                        row.getInt("attempts"), instant(row, "started_at"), instant(row, "updated_at"),
                        row.getLong("version")))
                .optional();
    }

    @Override
    public OrderSaga insert(OrderSaga saga) {
        jdbc.sql("""
                        INSERT INTO order_saga (order_id, state, reservation_id, stock_released, deadline, attempts,
                            started_at, updated_at, version)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(saga.orderId(), saga.state().name(), saga.reservationId(), saga.stockReleased(),
                        utc(saga.deadline()), saga.attempts(), utc(saga.startedAt()), utc(saga.updatedAt()), FIRST_VERSION)
                .update();
        return saga.withVersion(FIRST_VERSION);
    }

    @Override
    public OrderSaga update(OrderSaga saga) {
        int updated = jdbc.sql("""
                        UPDATE order_saga SET state = ?, reservation_id = ?, stock_released = ?, deadline = ?,
                            attempts = ?, updated_at = ?, version = version + 1
                        WHERE order_id = ? AND version = ?""")
                .params(saga.state().name(), saga.reservationId(), saga.stockReleased(), utc(saga.deadline()),
                        saga.attempts(), utc(saga.updatedAt()), saga.orderId(), saga.version())
                .update();
        if (updated != 1) {
            throw new OptimisticLockingFailureException("The saga of order " + saga.orderId() + " changed since it was read");
        }
        return saga.withVersion(saga.version() + 1);
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
