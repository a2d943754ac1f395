package io.polystore.catalog.product;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What to search for; every criterion is optional and they combine with AND.
 *
 * @param text            found, ignoring case, anywhere in the name, description or SKU, taken literally
 * @param categoryId      the category or any of its descendants
 * @param minPrice        lowest price amount, inclusive
 * @param maxPrice        highest price amount, inclusive
 * @param currency        price currency
 * @param attributes      attribute name to value, compared as text
 * @param includeInactive also products that cannot be ordered
 * @param sort            the order of the results, which the cursor continues
 * @param limit           products per page
 * @param cursor          where the previous page ended
 */
public record ProductSearch(String text, String categoryId, BigDecimal minPrice, BigDecimal maxPrice, String currency,
                            Map<String, String> attributes, boolean includeInactive, Sort sort, int limit,
                            String cursor) {

    public enum Sort {
        NAME,
        PRICE
    }
}
