package io.polystore.order.orders;

/** Where an order stands for its customer; the saga behind it has finer states. */
public enum OrderStatus {
    /** Placed; its stock is being reserved. */
    PENDING,
    CONFIRMED,
    REJECTED,
    CANCELLED
}
