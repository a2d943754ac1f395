package io.polystore.events;

import java.time.Instant;

/**
 * A region short of a product's stock asks a peer for units of it (the catalog's rebalancer). Only the asked region,
 * which holds the units, moves them: it answers with a {@link StockTransferred} whose {@code transferId} is this
 * {@code requestId}, or with nothing when it has no units to spare (the asker asks again, another peer, after its
 * request times out). Published on {@link Topics#CATALOG_TRANSFERS} in the asking region, mirrored into every other
 * region as {@code <fromRegion>.catalog.transfers}, like the transfers. Keyed by the product.
 *
 * @param requestId   the request's id, unique across regions; the id of the transfer that answers it
 * @param productId   the product's key, the same in every region
 * @param fromRegion  the region that asks (and would receive the units)
 * @param toRegion    the region asked to send them
 * @param quantity    how many units are asked for, at least 1
 * @param requestedAt when the asking region committed the request
 */
@EventType(name = "io.polystore.catalog.StockRequested", version = 1, topic = Topics.CATALOG_TRANSFERS)
public record StockRequested(String requestId, String productId, String fromRegion, String toRegion, long quantity,
                             Instant requestedAt) implements PolystoreEvent {

    public StockRequested {
        Require.notBlank(requestId, "requestId");
        Require.notBlank(productId, "productId");
        Require.notBlank(fromRegion, "fromRegion");
        Require.notBlank(toRegion, "toRegion");
        Require.positive(quantity, "quantity");
        Require.notNull(requestedAt, "requestedAt");
        if (fromRegion.equals(toRegion)) {
            throw new IllegalArgumentException("toRegion must differ from fromRegion " + fromRegion);
        }
    }

    @Override
    public String aggregateId() {
        return "product:" + productId;
    }
}
