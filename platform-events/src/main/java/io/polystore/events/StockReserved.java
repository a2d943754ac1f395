package io.polystore.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The catalog reserved all lines of an order until {@code expiresAt}.
 *
 * @param reservationId the reservation's SurrealDB record key
 */
@EventType(name = "io.polystore.catalog.StockReserved", version = 1, topic = Topics.CATALOG_EVENTS)
public record StockReserved(UUID orderId, String reservationId, List<OrderLine> lines, Instant expiresAt)
        implements PolystoreEvent {

    public StockReserved {
        Require.notNull(orderId, "orderId");
        Require.notBlank(reservationId, "reservationId");
        lines = OrderLine.checkedLines(lines);
        Require.notNull(expiresAt, "expiresAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
