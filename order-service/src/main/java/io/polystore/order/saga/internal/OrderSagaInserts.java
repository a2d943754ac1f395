package io.polystore.order.saga.internal;

/** A repository fragment of {@link OrderSagaRepository}: a new saga written with one plain statement. */
public interface OrderSagaInserts {

    /**
     * Writes a new saga: one statement, where {@code save} (Spring Data JDBC) rendered its SQL and mapped the entity
     * anew on each call (issue 15).
     *
     * @return the saga under its first version, 0 (what {@code save} gives a new entity)
     */
    OrderSaga insert(OrderSaga saga);
}
