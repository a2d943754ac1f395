package io.polystore.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order's stock is reserved and the order is final; its lines feed the purchase graph. */
@EventType(name = "io.polystore.order.OrderConfirmed", version = 1, topic = Topics.ORDERS_EVENTS)
public record OrderConfirmed(UUID orderId, String customerId, List<OrderLine> lines, Instant confirmedAt)
        implements PolystoreEvent {

    public OrderConfirmed {
        Require.notNull(orderId, "orderId");
        Require.notBlank(customerId, "customerId");
        lines = OrderLine.checkedLines(lines);
        Require.notNull(confirmedAt, "confirmedAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
