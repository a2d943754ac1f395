package io.polystore.events;

import java.util.UUID;

/** Compensation from the order saga: release whatever the order has reserved, answered by {@link StockReleased}. */
@EventType(name = "io.polystore.catalog.ReleaseStock", version = 1, topic = Topics.CATALOG_COMMANDS)
public record ReleaseStock(UUID orderId, String reason) implements PolystoreEvent {

    public ReleaseStock {
        Require.notNull(orderId, "orderId");
        Require.notBlank(reason, "reason");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
