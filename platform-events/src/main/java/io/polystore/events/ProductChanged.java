package io.polystore.events;

import java.time.Instant;

/**
 * A product was created or changed. Carries the whole state, so the order service's price snapshot
 * needs no other call; {@code version} lets it ignore a snapshot older than the one it holds.
 *
 * @param productId the product's SurrealDB record key
 * @param version increases with every change of the product
 */
@EventType(name = "io.polystore.catalog.ProductChanged", version = 1, topic = Topics.CATALOG_EVENTS)
public record ProductChanged(String productId, String sku, String name, Money price, boolean active, long version,
        Instant changedAt) implements PolystoreEvent {

    public ProductChanged {
        Require.notBlank(productId, "productId");
        Require.notBlank(sku, "sku");
        Require.notBlank(name, "name");
        Require.notNegative(price, "price");
        Require.notNegative(version, "version");
        Require.notNull(changedAt, "changedAt");
    }

    @Override
    public String aggregateId() {
        return productId;
    }
}
