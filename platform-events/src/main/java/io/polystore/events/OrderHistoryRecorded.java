package io.polystore.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An order as it is now, without anything personal: written by the order's home region with every change to it
 * (placing and every change of status), so that other regions can keep a read-only replica of their customers'
 * order history and serve it while the home region is down. Keyed by the order id on a compacted topic, which keeps
 * each order's latest record; a replica applies a record only if its {@code version} is above the one it holds (or
 * equal to it with another {@code customerKey}: the same record re-published under a new digest key).
 *
 * <p>Nothing in it identifies the customer in clear: no name, e-mail, phone or address, and instead of the
 * customer's id (the token subject) its keyed digest, {@link CustomerDigest}, by which a replica finds the orders of
 * the caller whose token carries that subject. Without the key, which only the regions hold, the digest cannot be
 * linked to a person.
 *
 * @param homeRegion   the region that keeps the order and its personal data
 * @param customerKey  {@link CustomerDigest#of} the customer's id: 64 lower-case hex digits
 * @param version      the order's version in its home region: 0 when placed, one more with every change
 * @param status       PENDING, CONFIRMED, REJECTED or CANCELLED
 * @param statusReason why it was rejected or cancelled, or what a PENDING order waits for; null otherwise
 */
@EventType(name = "io.polystore.order.OrderHistoryRecorded", version = 1, topic = Topics.ORDER_HISTORY)
public record OrderHistoryRecorded(UUID orderId, String homeRegion, String customerKey, long version, String status,
        String statusReason, Money total, List<Line> lines, Instant placedAt, Instant updatedAt)
        implements PolystoreEvent {

    private static final Pattern CUSTOMER_KEY = Pattern.compile("[0-9a-f]{64}");

    /** One line as the customer ordered it, priced when the order was placed. */
    public record Line(String productId, String sku, String name, int quantity, BigDecimal unitPrice,
                       BigDecimal lineTotal) {

        public Line {
            Require.notBlank(productId, "productId");
            Require.notBlank(sku, "sku");
            Require.notBlank(name, "name");
            Require.positive(quantity, "quantity");
            Require.notNull(unitPrice, "unitPrice");
            Require.notNull(lineTotal, "lineTotal");
        }
    }

    public OrderHistoryRecorded {
        Require.notNull(orderId, "orderId");
        Require.notBlank(homeRegion, "homeRegion");
        if (!CUSTOMER_KEY.matcher(Require.notNull(customerKey, "customerKey")).matches()) {
            throw new IllegalArgumentException("customerKey must be an HMAC-SHA256 digest in 64 lower-case hex digits");
        }
        Require.notNegative(version, "version");
        Require.notBlank(status, "status");
        Require.nullOrNotBlank(statusReason, "statusReason");
        Require.notNegative(total, "total");
        lines = Require.nonEmptyCopy(lines, "lines");
        Require.notNull(placedAt, "placedAt");
        Require.notNull(updatedAt, "updatedAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
