package io.polystore.sync.reconciliation;

/** What a reconciliation run found wrong between an order and its reservation. */
public enum DriftKind {
    /** The order is CONFIRMED, but the catalog holds no CONFIRMED reservation for it. */
    CONFIRMED_WITHOUT_RESERVATION,
    /** The catalog holds stock (RESERVED or CONFIRMED) for an order that is missing, CANCELLED or REJECTED. */
    RESERVATION_WITHOUT_LIVE_ORDER,
    /** Order and reservation are both CONFIRMED, with different quantities per product. */
    QUANTITY_MISMATCH
}
