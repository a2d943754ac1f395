package io.polystore.catalog.inventory;

import java.time.Instant;

/**
 * A product's stock.
 *
 * @param available units that can be reserved
 * @param reserved  units held by reservations not yet confirmed
 * @param sold      units of confirmed orders
 */
public record InventoryView(String productId, long available, long reserved, long sold, Instant updatedAt) {
}
