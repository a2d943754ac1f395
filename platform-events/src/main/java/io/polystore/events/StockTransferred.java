package io.polystore.events;

import java.time.Instant;

/**
 * Units of a product's available stock that one region took out of its own stock and sent to another: the sending
 * region wrote it in the transaction that decreased its stock; the receiving region adds the units to its available
 * stock once (its inbox, by {@code transferId}). Published on {@link Topics#CATALOG_TRANSFERS} in the sending region;
 * the receiving region reads it as MirrorMaker 2 mirrors it, {@code <fromRegion>.catalog.transfers}. Keyed by the
 * product, so that one product's transfers stay in order.
 *
 * @param transferId  the transfer's key in the sending region, unique across regions with it ({@code fromRegion})
 * @param productId   the product's key, the same in every region (the catalog is global)
 * @param fromRegion  the region that sent the units
 * @param toRegion    the region that receives them
 * @param quantity    how many units, at least 1
 * @param transferredAt when the sending region committed the transfer
 */
@EventType(name = "io.polystore.catalog.StockTransferred", version = 1, topic = Topics.CATALOG_TRANSFERS)
public record StockTransferred(String transferId, String productId, String fromRegion, String toRegion, long quantity,
                               Instant transferredAt) implements PolystoreEvent {

    public StockTransferred {
        Require.notBlank(transferId, "transferId");
        Require.notBlank(productId, "productId");
        Require.notBlank(fromRegion, "fromRegion");
        Require.notBlank(toRegion, "toRegion");
        Require.positive(quantity, "quantity");
        Require.notNull(transferredAt, "transferredAt");
        if (fromRegion.equals(toRegion)) {
            throw new IllegalArgumentException("toRegion must differ from fromRegion " + fromRegion);
        }
    }

    @Override
    public String aggregateId() {
        return "product:" + productId;
    }
}
