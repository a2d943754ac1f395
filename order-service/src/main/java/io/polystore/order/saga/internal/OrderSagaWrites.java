package io.polystore.order.saga.internal;

/** A repository fragment of {@link OrderSagaRepository}: a saga written with one plain statement. */
public interface OrderSagaWrites {

    /**
     * Writes a new saga: one statement, where {@code save} (Spring Data JDBC) rendered its SQL and mapped the entity
     * anew on each call (issue 15).
     *
     * @return the saga under its first version, 0 (what {@code save} gives a new entity)
     */
    OrderSaga insert(OrderSaga saga);

    /**
     * Saves a saga that changed, under the same optimistic lock as {@code save}: one statement, where {@code save}
     * rendered its SQL and mapped the entity anew on each call, a sixth of the reply listener's samples (issue 15).
     *
     * @return the saga under its next version
     * @throws org.springframework.dao.OptimisticLockingFailureException when the saga changed since it was read
     */
    OrderSaga update(OrderSaga saga);
}
