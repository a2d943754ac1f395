package io.polystore.order.saga.internal;

import java.util.Optional;
import java.util.UUID;

/**
 * A repository fragment of {@link OrderSagaRepository}: a saga locked, inserted or updated, each with one plain
 * statement, where Spring Data JDBC rendered its SQL and mapped the entity anew on each call (issue 15).
 */
public interface OrderSagaWrites {

    /** The saga, locked until the transaction ends: replies, deadlines and cancellations of one order take turns. */
    Optional<OrderSaga> lock(UUID orderId);

    /**
     * Writes a new saga.
     *
     * @return the saga under its first version, 0 (what {@code save} gives a new entity)
     */
    OrderSaga insert(OrderSaga saga);

    /**
     * Saves a saga that changed, under the same optimistic lock as {@code save}.
     *
     * @return the saga under its next version
     * @throws org.springframework.dao.OptimisticLockingFailureException when the saga changed since it was read
     */
    OrderSaga update(OrderSaga saga);
}
