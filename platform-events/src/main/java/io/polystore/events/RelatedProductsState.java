package io.polystore.events;

import java.time.Instant;

/**
 * Whether two products of the global catalog are related (one {@code related_to} edge per pair, shown both ways),
 * published by the region that writes the catalog whenever a manager links or unlinks them. Keyed by the pair
 * whichever way round it is named, so that a pair's states stay in order; a replica applies a state only if its
 * {@code version} is above the one it holds for the pair.
 *
 * @param productId the product the edge goes out of ({@code in}), as the writing region stores it
 * @param relatedId the product it goes to ({@code out})
 * @param version   one more with every change of the pair, also across unlinking and linking again
 * @param linked    true while the products are related
 * @param changedAt when they were linked (the edge's {@code created_at}) or unlinked
 */
@EventType(name = "io.polystore.catalog.RelatedProductsState", version = 1, topic = Topics.CATALOG_REPLICATION)
public record RelatedProductsState(String productId, String relatedId, long version, boolean linked,
        Instant changedAt) implements PolystoreEvent {

    /** The Kafka key and CloudEvents subject of a pair's states: the same whichever way round the pair is named. */
    public static String keyOf(String productId, String relatedId) {
        Require.notBlank(productId, "productId");
        Require.notBlank(relatedId, "relatedId");
        return productId.compareTo(relatedId) < 0 ? "related_to:" + productId + ":" + relatedId
                : "related_to:" + relatedId + ":" + productId;
    }

    public RelatedProductsState {
        Require.notBlank(productId, "productId");
        Require.notBlank(relatedId, "relatedId");
        if (productId.equals(relatedId)) {
            throw new IllegalArgumentException("a product cannot be related to itself (" + productId + ")");
        }
        Require.positive(version, "version");
        Require.notNull(changedAt, "changedAt");
    }

    @Override
    public String aggregateId() {
        return keyOf(productId, relatedId);
    }
}
