package io.polystore.order.saga.internal;

import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Found by Spring Data by its name, the fragment's plus {@code Impl}. */
class OrderSagaWritesImpl implements OrderSagaWrites {

    private static final long FIRST_VERSION = 0;

    private final JdbcClient jdbc;

    OrderSagaWritesImpl(JdbcClient jdbc) {
        this.jdbc = jdbc;
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

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
