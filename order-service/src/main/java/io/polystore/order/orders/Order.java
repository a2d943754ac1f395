package io.polystore.order.orders;

import io.polystore.events.Money;
import io.polystore.events.CustomerDigest;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.events.OrderLine;
import org.springframework.data.annotation.Id;
import org.springframework.data.annotation.Version;
import org.springframework.data.relational.core.mapping.MappedCollection;
import org.springframework.data.relational.core.mapping.Table;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The order aggregate: its lines, its customer (the JWT subject), its status and the customer's personal data,
 * sealed. Immutable: each change returns the next state, which the repository saves under optimistic locking.
 *
 * @param statusReason why it was rejected or cancelled, or what a PENDING order has been waiting for long; null otherwise
 * @param requestFingerprint the hash of the placing request's non-personal fields, to recognise its retries
 * @param personalDataKeyId the customer data key that sealed {@code personalData}
 * @param version null until first saved
 */
@Table("customer_order")
public record Order(
        @Id UUID id,
        String customerId,
        OrderStatus status,
        String statusReason,
        BigDecimal totalAmount,
        String currency,
        String idempotencyKey,
        String requestFingerprint,
        UUID personalDataKeyId,
        byte[] personalData,
        @MappedCollection(idColumn = "order_id", keyColumn = "line_no") List<OrderLineItem> lines,
        @Version Long version,
        Instant placedAt,
        Instant updatedAt) {

    public Order {
        lines = List.copyOf(lines);
    }

    public Money total() {
        return new Money(totalAmount, currency);
    }

    public List<OrderLine> eventLines() {
        return lines.stream().map(line -> new OrderLine(line.productId(), line.quantity())).toList();
    }

    /**
     * The order as its masked history record: everything but the customer's personal data, and the customer only by
     * the keyed digest of their id. Written with every change, carrying the version the change gave the order.
     *
     * @param homeRegion this region, which keeps the order
     * @param digest     the customer digest every region shares
     */
    public OrderHistoryRecorded historyRecord(String homeRegion, CustomerDigest digest) {
        List<OrderHistoryRecorded.Line> recordLines = lines.stream().map(line -> new OrderHistoryRecorded.Line(
                line.productId(), line.sku(), line.productName(), line.quantity(), line.unitPrice(), line.lineTotal()))
                .toList();
        return new OrderHistoryRecorded(id, homeRegion, digest.of(customerId), version,
                status.name(), statusReason, total(), recordLines, placedAt, updatedAt);
    }

    public boolean belongsTo(String customer) {
        return customerId.equals(customer);
    }

    public Order confirm(Instant now) {
        return moveTo(OrderStatus.CONFIRMED, null, now, OrderStatus.PENDING);
    }

    /** Still PENDING, now saying what it waits for (a reply that is long in coming). */
    public Order waiting(String reason, Instant now) {
        return moveTo(OrderStatus.PENDING, reason, now, OrderStatus.PENDING);
    }

    public Order reject(String reason, Instant now) {
        return moveTo(OrderStatus.REJECTED, reason, now, OrderStatus.PENDING);
    }

    public Order cancel(String reason, Instant now) {
        return moveTo(OrderStatus.CANCELLED, reason, now, OrderStatus.PENDING, OrderStatus.CONFIRMED);
    }

    /** The same order under the version its repository gave it on saving. */
    Order withVersion(long saved) {
        return new Order(id, customerId, status, statusReason, totalAmount, currency, idempotencyKey, requestFingerprint,
                personalDataKeyId, personalData, lines, saved, placedAt, updatedAt);
    }

    Order withLines(List<OrderLineItem> read) {
        return new Order(id, customerId, status, statusReason, totalAmount, currency, idempotencyKey, requestFingerprint,
                personalDataKeyId, personalData, read, version, placedAt, updatedAt);
    }

    private Order moveTo(OrderStatus next, String reason, Instant now, OrderStatus... allowedFrom) {
        if (!List.of(allowedFrom).contains(status)) {
            throw new OrderStateConflictException(id, status, next);
        }
        return new Order(id, customerId, next, reason, totalAmount, currency, idempotencyKey, requestFingerprint,
                personalDataKeyId, personalData, lines, version, placedAt, now);
    }
}
