package io.polystore.catalog.reservation;

import io.polystore.events.OrderLine;
import io.polystore.events.StockRejected;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * The stock an order holds, or why it holds none.
 *
 * @param status        RESERVED, then CONFIRMED, RELEASED or EXPIRED; or REJECTED
 * @param rejections    the lines that could not be reserved, for REJECTED
 * @param expiresAt     when a RESERVED reservation is released unless confirmed
 * @param releaseReason why the stock was released, for RELEASED and EXPIRED
 */
public record ReservationView(String orderId,
                              @Schema(allowableValues = {"RESERVED", "REJECTED", "CONFIRMED", "RELEASED", "EXPIRED"})
                              String status, List<OrderLine> lines, @Nullable List<StockRejected.Rejection> rejections,
                              @Nullable Instant expiresAt, @Nullable String releaseReason,
                              Instant createdAt, Instant updatedAt) {
}
