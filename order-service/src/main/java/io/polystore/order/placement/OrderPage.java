package io.polystore.order.placement;

import io.polystore.events.Money;
import io.polystore.order.orders.OrderStatus;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One page of orders, newest first. Personal data is never part of a list: it is shown, and its reading audited,
 * per order.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record OrderPage(List<Summary> items, @Nullable String nextCursor) {

    @Schema(name = "OrderSummary")
    public record Summary(UUID id, String customerId, OrderStatus status, Money total, int lineCount, Instant placedAt,
                          Instant updatedAt) {
    }
}
