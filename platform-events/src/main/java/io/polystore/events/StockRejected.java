package io.polystore.events;

import java.util.List;
import java.util.UUID;

/** The catalog reserved nothing for an order, because of the lines listed in {@code rejections}. */
@EventType(name = "io.polystore.catalog.StockRejected", version = 1, topic = Topics.CATALOG_EVENTS)
public record StockRejected(UUID orderId, List<Rejection> rejections) implements PolystoreEvent {

    public StockRejected {
        Require.notNull(orderId, "orderId");
        rejections = Require.nonEmptyCopy(rejections, "rejections");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }

    /**
     * One line that could not be reserved.
     *
     * @param requested the quantity the order asked for
     * @param available the quantity in stock when the reservation was tried, 0 for an unknown product
     */
    public record Rejection(String productId, int requested, int available, Reason reason) {

        public Rejection {
            Require.notBlank(productId, "productId");
            Require.positive(requested, "requested");
            Require.notNegative(available, "available");
            Require.notNull(reason, "reason");
        }
    }

    public enum Reason {
        INSUFFICIENT_STOCK,
        UNKNOWN_PRODUCT,
        INACTIVE_PRODUCT
    }
}
