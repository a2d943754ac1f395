package io.polystore.events;

import java.util.UUID;

/** The catalog released an order's reservation; the stock is available again. */
@EventType(name = "io.polystore.catalog.StockReleased", version = 1, topic = Topics.CATALOG_EVENTS)
public record StockReleased(UUID orderId, String reservationId) implements PolystoreEvent {

    public StockReleased {
        Require.notNull(orderId, "orderId");
        Require.notBlank(reservationId, "reservationId");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
