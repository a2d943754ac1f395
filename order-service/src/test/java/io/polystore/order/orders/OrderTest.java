package io.polystore.order.orders;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderTest {

    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Order pending = new Order(UUID.randomUUID(), "alice", OrderStatus.PENDING, null, new BigDecimal("25.00"),
            "EUR", "key", "fingerprint", UUID.randomUUID(), new byte[]{1}, List.of(new OrderLineItem("p1", "SKU", "Book", 2,
            new BigDecimal("12.50"), new BigDecimal("25.00"))), 0L, now, now);

    @Test
    void aPendingOrderIsConfirmedRejectedOrCancelled() {
        Instant later = now.plusSeconds(5);

        assertThat(pending.confirm(later).status()).isEqualTo(OrderStatus.CONFIRMED);
        assertThat(pending.confirm(later).updatedAt()).isEqualTo(later);
        assertThat(pending.reject("no stock", later)).extracting(Order::status, Order::statusReason)
                .containsExactly(OrderStatus.REJECTED, "no stock");
        assertThat(pending.cancel("by the customer", later).status()).isEqualTo(OrderStatus.CANCELLED);
        assertThat(pending.confirm(later).cancel("changed mind", later).status()).isEqualTo(OrderStatus.CANCELLED);
    }

    @Test
    void aPendingOrderSaysWhatItWaitsForUntilItIsConfirmed() {
        Order waiting = pending.waiting("waiting for the stock", now.plusSeconds(10));

        assertThat(waiting).extracting(Order::status, Order::statusReason)
                .containsExactly(OrderStatus.PENDING, "waiting for the stock");
        assertThat(waiting.confirm(now.plusSeconds(20)).statusReason()).isNull();
        assertThatThrownBy(() -> pending.confirm(now).waiting("late", now)).isInstanceOf(OrderStateConflictException.class);
    }

    @Test
    void finishedOrdersRefuseFurtherChanges() {
        Order rejected = pending.reject("no stock", now);

        assertThatThrownBy(() -> rejected.cancel("late", now)).isInstanceOf(OrderStateConflictException.class)
                .hasMessageContaining("REJECTED");
        assertThatThrownBy(() -> pending.confirm(now).reject("late", now)).isInstanceOf(OrderStateConflictException.class);
        assertThatThrownBy(() -> pending.cancel("x", now).confirm(now)).isInstanceOf(OrderStateConflictException.class);
    }

    @Test
    void eventLinesCarryProductsAndQuantities() {
        assertThat(pending.eventLines()).singleElement().satisfies(line -> {
            assertThat(line.productId()).isEqualTo("p1");
            assertThat(line.quantity()).isEqualTo(2);
        });
        assertThat(pending.total().amount()).isEqualByComparingTo("25.00");
    }
}
