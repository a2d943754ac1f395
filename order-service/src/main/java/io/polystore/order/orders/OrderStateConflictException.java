package io.polystore.order.orders;

import java.util.UUID;

/** A change the order's status does not allow, e.g. cancelling a rejected order. */
public class OrderStateConflictException extends RuntimeException {

    private final OrderStatus status;

    public OrderStateConflictException(UUID orderId, OrderStatus status, OrderStatus wanted) {
        super("Order " + orderId + " is " + status + " and cannot become " + wanted);
        this.status = status;
    }

    public OrderStatus status() {
        return status;
    }
}
