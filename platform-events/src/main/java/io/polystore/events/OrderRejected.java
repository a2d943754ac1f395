package io.polystore.events;

import java.time.Instant;
import java.util.UUID;

/** An order could not be fulfilled, e.g. because its stock was rejected or its saga timed out. */
@EventType(name = "io.polystore.order.OrderRejected", version = 1, topic = Topics.ORDERS_EVENTS)
public record OrderRejected(UUID orderId, String reason, Instant rejectedAt) implements PolystoreEvent {

    public OrderRejected {
        Require.notNull(orderId, "orderId");
        Require.notBlank(reason, "reason");
        Require.notNull(rejectedAt, "rejectedAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
