package io.polystore.catalog.product;

import org.jspecify.annotations.Nullable;

import java.util.List;

/**
 * One page of search results.
 *
 * @param nextCursor pass as {@code cursor} for the next page; null on the last page
 */
public record ProductPage(List<ProductView> items, @Nullable String nextCursor) {
}
