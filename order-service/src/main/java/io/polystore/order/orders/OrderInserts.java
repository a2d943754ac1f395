package io.polystore.order.orders;

/** A repository fragment of {@link OrderRepository}: a new order written with plain statements. */
public interface OrderInserts {

    /**
     * Writes a new order and its lines, two statements, where {@code save} (Spring Data JDBC) rendered its SQL and
     * mapped the aggregate anew on each call: most of what placing an order spent in the repository (issue 15).
     *
     * @return the order under its first version, 0 (what {@code save} gives a new aggregate)
     * @throws org.springframework.dao.DuplicateKeyException when the customer placed an order with its idempotency key
     */
    Order insert(Order order);
}
