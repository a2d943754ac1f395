package io.polystore.order.placement;

import io.polystore.events.Money;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderLineItem;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.personaldata.PersonalData;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An order as its API shows it.
 *
 * @param statusReason why it was rejected or cancelled; for a PENDING order that has waited long for its stock, what
 *                     it waits for and until when
 * @param personalData the customer's name, e-mail, phone and shipping address, masked unless the caller may see
 *                     them; null once the customer's personal data was erased
 * @param personalDataMasked whether {@code personalData} is masked
 * @param personalDataErased whether the customer's personal data was erased
 */
public record OrderView(UUID id, String customerId, OrderStatus status, @Nullable String statusReason, Money total,
                        List<Line> lines, @Nullable PersonalData personalData, boolean personalDataMasked,
                        boolean personalDataErased, Instant placedAt, Instant updatedAt) {

    @Schema(name = "OrderLine")
    public record Line(String productId, String sku, String name, int quantity, Money unitPrice, Money lineTotal) {
    }

    public static OrderView of(Order order, PersonalData personalData, boolean masked) {
        List<Line> lines = order.lines().stream().map(line -> line(line, order.currency())).toList();
        return new OrderView(order.id(), order.customerId(), order.status(), order.statusReason(), order.total(), lines,
                personalData, personalData != null && masked, personalData == null, order.placedAt(), order.updatedAt());
    }

    private static Line line(OrderLineItem line, String currency) {
        return new Line(line.productId(), line.sku(), line.productName(), line.quantity(),
                money(line.unitPrice(), currency), money(line.lineTotal(), currency));
    }

    private static Money money(BigDecimal amount, String currency) {
        return new Money(amount, currency);
    }
}
