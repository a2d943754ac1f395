package io.polystore.order.placement;

import java.util.UUID;

/** No such order, or none the caller may see: both answer 404, so that others' order ids reveal nothing. */
class OrderNotFoundException extends RuntimeException {

    OrderNotFoundException(UUID orderId) {
        super("Order " + orderId + " was not found.");
    }
}
