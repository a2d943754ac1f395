package io.polystore.order.orders;

import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link OrderRepository#findById} reads with plain statements exactly the order Spring Data JDBC reads. */
@OrderServiceIntegrationTest
class OrderReadsIT {

    @Autowired
    OrderRepository orders;

    @Autowired
    JdbcAggregateTemplate springDataJdbc;

    @Test
    void readsTheOrderAndItsLinesInOrderAsSpringDataJdbcDoes() {
        Instant placedAt = Instant.parse("2026-12-07T08:15:30.123456Z");
        List<OrderLineItem> lines = List.of(
                new OrderLineItem("p-3", "SKU-3", "Kettle", 2, new BigDecimal("12.50"), new BigDecimal("25.00")),
                new OrderLineItem("p-1", "SKU-1", "Teapot", 1, new BigDecimal("30.0000"), new BigDecimal("30.0000")),
                new OrderLineItem("p-2", "SKU-2", "Cups", 6, new BigDecimal("2.05"), new BigDecimal("12.30")));
        Order placed = orders.insert(new Order(UUID.randomUUID(), "reads-" + UUID.randomUUID(), OrderStatus.PENDING, null,
                new BigDecimal("67.30"), "EUR", "key-1", "fingerprint", UUID.randomUUID(), new byte[]{1, 2, 3, 0, -1},
                lines, null, placedAt, placedAt));
        Order rejected = orders.saveStatus(placed.reject("out of stock", placedAt.plusMillis(1500)));

        Order read = orders.findById(placed.id()).orElseThrow();

        assertThat(read).usingRecursiveComparison().isEqualTo(springDataJdbc.findById(placed.id(), Order.class));
        assertThat(read.lines()).extracting(OrderLineItem::productId).containsExactly("p-3", "p-1", "p-2");
        assertThat(read.status()).isEqualTo(OrderStatus.REJECTED);
        assertThat(read.statusReason()).isEqualTo("out of stock");
        assertThat(read.version()).isEqualTo(rejected.version()).isEqualTo(1);
        assertThat(read.updatedAt()).isEqualTo(placedAt.plusMillis(1500));
        assertThat(read.personalData()).containsExactly(1, 2, 3, 0, -1);
    }

    @Test
    void findsNothingForAnUnknownId() {
        assertThat(orders.findById(UUID.randomUUID())).isEmpty();
    }
}
