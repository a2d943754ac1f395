package io.polystore.order.pricing;

import io.polystore.events.Money;

/**
 * A product as the catalog last announced it.
 *
 * @param version the catalog's product version; older announcements never replace newer ones
 */
public record PriceSnapshot(String productId, String sku, String name, Money price, boolean active, long version) {
}
