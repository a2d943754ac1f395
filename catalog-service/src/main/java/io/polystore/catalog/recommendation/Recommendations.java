package io.polystore.catalog.recommendation;

import java.util.List;

/** Two ranked lists for a product, the strongest first; only active products. */
public record Recommendations(String productId, List<Recommendation> boughtTogether,
                              List<Recommendation> customersAlsoBought) {
}
