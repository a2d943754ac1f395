package io.polystore.catalog.recommendation;

import io.polystore.catalog.product.ProductSummary;

/**
 * A recommended product and how strongly.
 *
 * @param score for bought-together, how many orders held both products; for customers-also-bought, how many
 *              customers bought both
 */
public record Recommendation(ProductSummary product, long score) {
}
