package io.polystore.catalog.product.internal;

import io.polystore.catalog.internal.InvalidInputException;
import io.polystore.catalog.product.ProductSearch;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a page of search results ended: the sort value and the id of its last product. The next page starts
 * strictly after that pair, so pages stay stable while products are added or removed elsewhere in the order.
 * Opaque to clients (base64url of a small JSON object).
 */
public record SearchCursor(ProductSearch.Sort sort, String name, BigDecimal price, String id) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public String encode() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("s", sort.name());
        fields.put("v", sort == ProductSearch.Sort.NAME ? name : price.toPlainString());
        fields.put("i", id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(fields));
    }

    /** The cursor of a request, which must come from a search with the same sort. */
    public static SearchCursor decode(String text, ProductSearch.Sort expectedSort) {
        try {
            JsonNode fields = JSON.readTree(Base64.getUrlDecoder().decode(text));
            ProductSearch.Sort sort = ProductSearch.Sort.valueOf(fields.required("s").asString());
            String value = fields.required("v").asString();
            String id = fields.required("i").asString();
            if (sort != expectedSort) {
                throw new InvalidInputException("cursor", "comes from a search sorted by " + sort.name().toLowerCase());
            }
            return sort == ProductSearch.Sort.NAME
                    ? new SearchCursor(sort, value, null, id)
                    : new SearchCursor(sort, null, new BigDecimal(value), id);
        } catch (IllegalArgumentException | JacksonException e) {
            throw new InvalidInputException("cursor", "malformed; pass the nextCursor of the previous page unchanged");
        }
    }
}
