package io.polystore.order.replica;

import java.util.UUID;

/** This region holds no replicated order by that id of the caller's. */
class ReplicaOrderNotFoundException extends RuntimeException {

    ReplicaOrderNotFoundException(UUID orderId, String homeRegion) {
        super("No order " + orderId + " of yours homed in " + homeRegion + " is replicated here.");
    }
}
