package io.polystore.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A customer placed an order; it is PENDING until its stock is reserved. */
@EventType(name = "io.polystore.order.OrderPlaced", version = 1, topic = Topics.ORDERS_EVENTS)
public record OrderPlaced(UUID orderId, String customerId, List<OrderLine> lines, Money total, Instant placedAt)
        implements PolystoreEvent {

    public OrderPlaced {
        Require.notNull(orderId, "orderId");
        Require.notBlank(customerId, "customerId");
        lines = OrderLine.checkedLines(lines);
        Require.notNegative(total, "total");
        Require.notNull(placedAt, "placedAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
