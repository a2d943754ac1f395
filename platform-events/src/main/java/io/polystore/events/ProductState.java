package io.polystore.events;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole state of a product of the global catalog, published by the region that writes the catalog on every change
 * (create, update, price change, activation, deletion), so that another region can hold an identical replica without
 * asking for anything. Keyed {@code product:<productId>}: one product's states stay in order on one partition, and a
 * compacted topic keeps its latest. A replica applies a state only if its {@code version} is above the one it holds.
 *
 * @param productId   the product's SurrealDB record key
 * @param version     the product's version: 1 when created, one more with every change (its deletion included)
 * @param deleted     the product no longer exists; the other fields are its last state
 * @param description empty when the product has none
 * @param attributes  the free-form attributes, as JSON values (null values kept)
 * @param categoryIds the keys of its categories, each once
 */
@EventType(name = "io.polystore.catalog.ProductState", version = 1, topic = Topics.CATALOG_REPLICATION)
public record ProductState(String productId, long version, boolean deleted, String sku, String name,
        String description, Money price, Map<String, Object> attributes, List<String> categoryIds, boolean active,
        Instant createdAt, Instant updatedAt) implements PolystoreEvent {

    /** The Kafka key and CloudEvents subject of a product's states. */
    public static String keyOf(String productId) {
        return "product:" + Require.notBlank(productId, "productId");
    }

    public ProductState {
        Require.notBlank(productId, "productId");
        Require.positive(version, "version");
        Require.notBlank(sku, "sku");
        Require.notBlank(name, "name");
        Require.notNull(description, "description");
        Require.notNegative(price, "price");
        // Not Map.copyOf: a JSON attribute may be null.
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(Require.notNull(attributes, "attributes")));
        categoryIds = Require.notBlankCopy(categoryIds, "categoryIds");
        Require.notNull(createdAt, "createdAt");
        Require.notNull(updatedAt, "updatedAt");
    }

    @Override
    public String aggregateId() {
        return keyOf(productId);
    }
}
