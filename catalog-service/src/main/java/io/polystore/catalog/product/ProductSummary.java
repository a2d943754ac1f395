package io.polystore.catalog.product;

import io.polystore.events.Money;

/** A product in a list of related or recommended products. */
public record ProductSummary(String id, String sku, String name, Money price) {
}
