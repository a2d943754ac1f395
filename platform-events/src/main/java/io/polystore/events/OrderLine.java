package io.polystore.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A quantity of one product.
 *
 * @param productId the product's SurrealDB record key
 * @param quantity how many, at least 1
 */
public record OrderLine(String productId, int quantity) {

    public OrderLine {
        Require.notBlank(productId, "productId");
        Require.positive(quantity, "quantity");
    }

    /** An immutable copy of non-empty lines with one line per product, so consumers can key them by product. */
    static List<OrderLine> checkedLines(List<OrderLine> lines) {
        List<OrderLine> copy = Require.nonEmptyCopy(lines, "lines");
        Set<String> productIds = new HashSet<>();
        for (OrderLine line : copy) {
            if (!productIds.add(line.productId())) {
                throw new IllegalArgumentException("lines must hold one line per product, "
                        + line.productId() + " appears twice");
            }
        }
        return copy;
    }
}
