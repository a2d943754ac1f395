package io.polystore.catalog.inventory;

import java.time.Instant;

/**
 * A product's stock in this region.
 *
 * @param available units that can be reserved
 * @param reserved  units held by reservations not yet confirmed
 * @param sold      units of confirmed orders
 * @param sent      units this region sent to other regions (transfers), in all
 * @param received  units this region received from other regions (transfers), in all. What was put in here by
 *                  adjustments and counts is {@code available + reserved + sold + sent - received}
 */
public record InventoryView(String productId, long available, long reserved, long sold, long sent, long received,
                            Instant updatedAt) {
}
