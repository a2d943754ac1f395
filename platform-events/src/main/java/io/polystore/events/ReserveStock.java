package io.polystore.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Command from the order saga: reserve these lines, answered by {@link StockReserved} or {@link StockRejected}. */
@EventType(name = "io.polystore.catalog.ReserveStock", version = 1, topic = Topics.CATALOG_COMMANDS)
public record ReserveStock(UUID orderId, List<OrderLine> lines, Instant deadline) implements PolystoreEvent {

    public ReserveStock {
        Require.notNull(orderId, "orderId");
        lines = OrderLine.checkedLines(lines);
        Require.notNull(deadline, "deadline");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
