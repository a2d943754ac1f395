package io.polystore.sync.reconciliation.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * An order as order-service's database shows it.
 *
 * @param status     PENDING, CONFIRMED, REJECTED or CANCELLED
 * @param sagaState  the saga's state, null without a saga row
 * @param changedAt  the later of the order's and the saga's last change
 * @param quantities units per product
 */
public record OrderSnapshot(String orderId, String status, String sagaState, Instant changedAt,
                            Map<String, Integer> quantities) {

    /** Saga states that still wait for the catalog's answer. */
    private static final Set<String> WAITING = Set.of("PENDING", "AWAITING_STOCK", "RELEASING");

    /** Whether the saga may still change the order or its reservation: then nothing about it is drift yet. */
    public boolean inFlight(Instant settledBefore) {
        return status.equals("PENDING") || WAITING.contains(sagaState) || !changedAt.isBefore(settledBefore);
    }

    public boolean confirmed() {
        return status.equals("CONFIRMED");
    }
}
