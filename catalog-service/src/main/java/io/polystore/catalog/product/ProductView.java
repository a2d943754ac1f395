package io.polystore.catalog.product;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.polystore.events.Money;
import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A product as the API shows it.
 *
 * @param version the optimistic-locking version an update must name
 * @param related related products, only in the product detail
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductView(String id, String sku, String name, @Nullable String description, Money price,
                          Map<String, Object> attributes, List<String> categoryIds, boolean active, long version,
                          Instant createdAt, Instant updatedAt, @Nullable List<ProductSummary> related) {

    ProductView withRelated(List<ProductSummary> relatedProducts) {
        return new ProductView(id, sku, name, description, price, attributes, categoryIds, active, version, createdAt,
                updatedAt, relatedProducts);
    }
}
