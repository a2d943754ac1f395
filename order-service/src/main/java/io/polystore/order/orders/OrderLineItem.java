package io.polystore.order.orders;

import org.springframework.data.relational.core.mapping.Table;

import java.math.BigDecimal;

/** One product of an order, priced from the snapshot when the order was placed. Same currency as its order. */
@Table("order_line")
public record OrderLineItem(String productId, String sku, String productName, int quantity, BigDecimal unitPrice,
                            BigDecimal lineTotal) {
}
