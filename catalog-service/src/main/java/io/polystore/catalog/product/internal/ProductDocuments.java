package io.polystore.catalog.product.internal;

import io.polystore.catalog.internal.Rows;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductSummary;
import io.polystore.catalog.product.ProductView;
import io.polystore.events.Money;
import io.polystore.surrealdb.RecordId;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Product rows to API views and back. */
public final class ProductDocuments {

    private ProductDocuments() {
    }

    /** The document SurrealDB stores; categories become record links. */
    public static Map<String, Object> document(String sku, String name, String description, PriceRequest price,
                                               Map<String, Object> attributes, List<String> categoryIds,
                                               boolean active, long version, Instant createdAt, Instant updatedAt) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("sku", sku);
        document.put("name", name);
        document.put("description", description == null ? "" : description);
        document.put("price", Map.of("amount", price.amount(), "currency", price.currency()));
        document.put("attributes", attributes == null ? Map.of() : attributes);
        document.put("categories", categoryRecords(categoryIds));
        document.put("active", active);
        document.put("version", version);
        document.put("created_at", createdAt);
        document.put("updated_at", updatedAt);
        return document;
    }

    public static List<RecordId> categoryRecords(List<String> categoryIds) {
        return categoryIds == null ? List.of() : categoryIds.stream().distinct().map(id -> RecordId.of("category", id)).toList();
    }

    @SuppressWarnings("unchecked")
    public static ProductView view(Map<String, Object> row) {
        return new ProductView(Rows.key(row, "id"), Rows.string(row, "sku"), Rows.string(row, "name"),
                Rows.string(row, "description"), price(Rows.object(row, "price")),
                (Map<String, Object>) Rows.plain(Rows.object(row, "attributes")), Rows.keys(row, "categories"),
                Rows.bool(row, "active"), Rows.number(row, "version"), Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"), null);
    }

    public static ProductSummary summary(Map<String, Object> row) {
        return new ProductSummary(Rows.key(row, "id"), Rows.string(row, "sku"), Rows.string(row, "name"),
                price(Rows.object(row, "price")));
    }

    /**
     * SurrealDB returns decimals normalised ({@code 10.00} as {@code 10}); amounts are shown with at least the
     * currency's minor digits again, so {@code 10} EUR reads {@code 10.00}.
     */
    public static Money price(Map<String, Object> price) {
        String currency = Rows.string(price, "currency");
        BigDecimal amount = Rows.decimal(price, "amount");
        if (currency == null || amount == null) {
            return null;
        }
        return new Money(withMinorDigits(amount, currency), currency);
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
}
