package io.polystore.order.placement;

/** The customer used an Idempotency-Key before for a different request. */
class IdempotencyKeyReusedException extends RuntimeException {

    IdempotencyKeyReusedException() {
        super("This Idempotency-Key was already used for a different request; use a new key for a new order.");
    }
}
