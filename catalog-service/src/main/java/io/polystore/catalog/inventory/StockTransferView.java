package io.polystore.catalog.inventory;

import java.time.Instant;

/**
 * A transfer of units from one region's available stock to another's.
 *
 * @param id            the transfer's id, given by the sending region
 * @param transferredAt when the sending region took the units out of its stock; the receiving region adds them when
 *                      the transfer reaches it (seconds later, through MirrorMaker)
 */
public record StockTransferView(String id, String productId, String fromRegion, String toRegion, long quantity,
                                Instant transferredAt) {
}
