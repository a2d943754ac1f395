package io.polystore.catalog.product.internal;

import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductSummary;
import io.polystore.catalog.product.ProductView;
import io.polystore.events.Money;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealNone;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Products as the store holds them: the document written, the rows read, and their shape for the API. */
public final class ProductDocuments {

    private ProductDocuments() {
    }

    /** A price as stored: SurrealDB keeps the amount exact but normalised, {@code 10.00} as {@code 10}. */
    public record Price(BigDecimal amount, String currency) {

        public static Price of(PriceRequest price) {
            return new Price(price.amount(), price.currency());
        }

        /** The amount with at least the currency's minor digits again, so {@code 10} EUR reads {@code 10.00}. */
        public Money money() {
            return new Money(withMinorDigits(amount, currency), currency);
        }
    }

    /** The fields of {@code product} that a create or an update writes; categories become record links. */
    public record Document(String sku, String name, String description, Price price, Map<String, Object> attributes,
                           List<RecordId> categories, boolean active, long version, Instant createdAt,
                           Instant updatedAt) {

        public static Document of(String sku, String name, String description, PriceRequest price,
                                  Map<String, Object> attributes, List<String> categoryIds, boolean active, long version,
                                  Instant createdAt, Instant updatedAt) {
            List<RecordId> categories = categoryIds == null ? List.of()
                    : categoryIds.stream().distinct().map(id -> RecordId.of("category", id)).toList();
            return new Document(sku, name, description == null ? "" : description, Price.of(price),
                    attributes == null ? Map.of() : attributes, categories, active, version, createdAt, updatedAt);
        }
    }

    /** A row of {@code product}, as the store returns it. */
    public record Row(RecordId id, String sku, String name, String description, Price price,
                      Map<String, Object> attributes, List<RecordId> categories, boolean active, long version,
                      Instant createdAt, Instant updatedAt) {

        @SuppressWarnings("unchecked")
        public ProductView view() {
            return new ProductView(Keys.of(id), sku, name, description, price.money(),
                    (Map<String, Object>) plain(attributes), categories.stream().map(Keys::of).toList(), active, version,
                    createdAt, updatedAt, null);
        }
    }

    /** The fields of a product that lists of related or recommended products show. */
    public record SummaryRow(RecordId id, String sku, String name, Price price) {

        public ProductSummary summary() {
            return new ProductSummary(Keys.of(id), sku, name, price.money());
        }
    }

    public static BigDecimal withMinorDigits(BigDecimal amount, String currency) {
        int digits = minorDigits(currency);
        BigDecimal stripped = amount.stripTrailingZeros();
        return stripped.setScale(Math.max(digits, Math.max(stripped.scale(), 0)));
    }

    private static int minorDigits(String currency) {
        try {
            return Math.max(Currency.getInstance(currency).getDefaultFractionDigits(), 0);
        } catch (IllegalArgumentException unknown) {
            return 2;
        }
    }

    /** Free-form attributes as plain JSON values: NONE as null, record links as their keys. */
    private static Object plain(Object value) {
        return switch (value) {
            case SurrealNone none -> null;
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
                yield copy;
            }
            case List<?> list -> list.stream().map(ProductDocuments::plain).toList();
            case RecordId id -> Keys.of(id);
            case null, default -> value;
        };
    }
}
