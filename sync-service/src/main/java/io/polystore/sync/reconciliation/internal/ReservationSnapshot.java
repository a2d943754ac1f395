package io.polystore.sync.reconciliation.internal;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A reservation as catalog-service's database shows it.
 *
 * @param status     RESERVED, CONFIRMED, RELEASED, EXPIRED or REJECTED
 * @param quantities units per product
 */
public record ReservationSnapshot(String orderId, String status, Map<String, Integer> quantities, Instant changedAt) {

    public boolean holdsStock() {
        return status.equals("RESERVED") || status.equals("CONFIRMED");
    }

    public boolean confirmed() {
        return status.equals("CONFIRMED");
    }

    /** The catalog keys reservations by the order's UUID; a key that is not one cannot be named in a command. */
    public Optional<UUID> orderUuid() {
        try {
            return Optional.of(UUID.fromString(orderId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
