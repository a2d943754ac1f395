package io.polystore.order.saga.internal;

import io.polystore.order.saga.SagaState;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * The persisted state of one order's saga.
 *
 * @param reservationId the catalog's reservation, once known
 * @param stockReleased whether the catalog reported the reservation released
 * @param deadline when the current step times out; null when the saga waits for nothing
 * @param attempts commands sent for the current step
 */
@Table("order_saga")
public record OrderSaga(@Id UUID orderId, SagaState state, String reservationId, boolean stockReleased, Instant deadline,
                        int attempts, Instant startedAt, Instant updatedAt, @Version Long version) {

    public static OrderSaga start(UUID orderId, Instant now) {
        return new OrderSaga(orderId, SagaState.PENDING, null, false, null, 0, now, now, null);
    }

    public OrderSaga moveTo(SagaState next, Instant deadline, int attempts, Instant now) {
        return new OrderSaga(orderId, next, reservationId, stockReleased, deadline, attempts, startedAt, now, version);
    }

    OrderSaga withVersion(long saved) {
        return new OrderSaga(orderId, state, reservationId, stockReleased, deadline, attempts, startedAt, updatedAt, saved);
    }

    public OrderSaga withReservation(String reservation, Instant now) {
        return new OrderSaga(orderId, state, reservation, stockReleased, deadline, attempts, startedAt, now, version);
    }

    public OrderSaga released(String reservation, Instant now) {
        return new OrderSaga(orderId, state, reservationId == null ? reservation : reservationId, true, deadline,
                attempts, startedAt, now, version);
    }
}
