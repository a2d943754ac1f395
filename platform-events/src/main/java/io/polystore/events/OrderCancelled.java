package io.polystore.events;

import java.time.Instant;
import java.util.UUID;

/** An order was cancelled; a reservation it holds is released by the saga. */
@EventType(name = "io.polystore.order.OrderCancelled", version = 1, topic = Topics.ORDERS_EVENTS)
public record OrderCancelled(UUID orderId, Instant cancelledAt) implements PolystoreEvent {

    public OrderCancelled {
        Require.notNull(orderId, "orderId");
        Require.notNull(cancelledAt, "cancelledAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
