package io.polystore.catalog.reservation;

import io.polystore.events.OrderLine;
import io.polystore.events.StockRejected;

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
public record ReservationView(String orderId, String status, List<OrderLine> lines,
                              List<StockRejected.Rejection> rejections, Instant expiresAt, String releaseReason,
                              Instant createdAt, Instant updatedAt) {
}
