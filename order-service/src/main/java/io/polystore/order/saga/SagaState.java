package io.polystore.order.saga;

/**
 * The states of {@link OrderPlacementSaga}: PENDING → AWAITING_STOCK → CONFIRMED or REJECTED; a cancellation
 * while stock may be reserved → RELEASING → CANCELLED.
 */
public enum SagaState {
    PENDING,
    AWAITING_STOCK,
    CONFIRMED,
    REJECTED,
    RELEASING,
    CANCELLED
}
