package io.polystore.order.saga.internal;

import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderLineItem;
import io.polystore.order.orders.OrderRepository;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.saga.SagaState;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.OptimisticLockingFailureException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A saga is locked and its changes saved with plain statements, reading what Spring Data JDBC reads and under the
 * optimistic lock its save had.
 */
@OrderServiceIntegrationTest
class OrderSagaWritesIT {

    @Autowired
    OrderRepository orders;

    @Autowired
    OrderSagaRepository sagas;

    @Test
    void locksAndSavesEveryFieldUnderTheNextVersionAndRefusesAStaleCopy() {
        Instant now = Instant.parse("2026-12-07T09:00:00.654321Z");
        // With its line, as every order has: the history backfill of other tests in this database reads it too.
        Order order = orders.insert(new Order(UUID.randomUUID(), "saga-" + UUID.randomUUID(), OrderStatus.PENDING, null,
                BigDecimal.TEN, "EUR", "key-1", "fingerprint", UUID.randomUUID(), new byte[]{1},
                List.of(new OrderLineItem("p-1", "SKU-1", "Book", 1, BigDecimal.TEN, BigDecimal.TEN)), null, now, now));
        OrderSaga started = sagas.insert(OrderSaga.start(order.id(), now));
        assertThat(sagas.lock(order.id())).hasValue(started).isEqualTo(sagas.findById(order.id()));
        Instant deadline = now.plusSeconds(30);

        OrderSaga changed = sagas.update(started.moveTo(SagaState.AWAITING_STOCK, deadline, 1, now.plusMillis(10))
                .withReservation("reservation-1", now.plusMillis(20)));

        assertThat(changed.version()).isEqualTo(1);
        assertThat(sagas.lock(order.id())).hasValue(changed).isEqualTo(sagas.findById(order.id()));
        assertThatThrownBy(() -> sagas.update(started.released("reservation-1", now.plusMillis(30))))
                .isInstanceOf(OptimisticLockingFailureException.class);
        assertThat(sagas.findById(order.id())).hasValue(changed);
        assertThat(sagas.lock(UUID.randomUUID())).isEmpty();
    }
}
