package io.polystore.order.saga.internal;

import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Found by Spring Data by its name, the fragment's plus {@code Impl}. */
class OrderSagaInsertsImpl implements OrderSagaInserts {

    private static final long FIRST_VERSION = 0;

    private final JdbcClient jdbc;

    OrderSagaInsertsImpl(JdbcClient jdbc) {
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
        return new OrderSaga(saga.orderId(), saga.state(), saga.reservationId(), saga.stockReleased(), saga.deadline(),
                saga.attempts(), saga.startedAt(), saga.updatedAt(), FIRST_VERSION);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
