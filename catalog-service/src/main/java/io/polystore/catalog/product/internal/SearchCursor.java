package io.polystore.catalog.product.internal;

import io.polystore.catalog.product.ProductSearch;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.servicedefaults.web.CursorCodec;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * Where a page of search results ended: the sort value and the id of its last product. The next page starts
 * strictly after that pair, so pages stay stable while products are added or removed elsewhere in the order.
 */
public record SearchCursor(ProductSearch.Sort sort, String name, BigDecimal price, String id) {

    private static final CursorCodec<SearchCursor> CODEC = CursorCodec.of("products",
            cursor -> List.of(cursor.sort().name(),
                    cursor.sort() == ProductSearch.Sort.NAME ? cursor.name() : cursor.price().toPlainString(), cursor.id()),
            values -> {
                ProductSearch.Sort sort = ProductSearch.Sort.valueOf(values.get(0));
                return sort == ProductSearch.Sort.NAME
                        ? new SearchCursor(sort, values.get(1), null, values.get(2))
                        : new SearchCursor(sort, null, new BigDecimal(values.get(1)), values.get(2));
            });

    /** The opaque text clients pass back for the next page. */
    public String encode() {
        return CODEC.encode(this);
    }

    /** The cursor of a request, which must come from a search with the same sort. */
    public static SearchCursor decode(String text, ProductSearch.Sort expectedSort) {
        SearchCursor cursor = CODEC.decode(text);
        if (cursor.sort() != expectedSort) {
            throw new InvalidInputException(CursorCodec.PARAMETER,
                    "comes from a search sorted by " + cursor.sort().name().toLowerCase(Locale.ROOT));
        }
        return cursor;
    }
}
