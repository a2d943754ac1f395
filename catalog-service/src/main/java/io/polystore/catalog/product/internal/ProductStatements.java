package io.polystore.catalog.product.internal;

import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.CatalogVersions;
import io.polystore.catalog.internal.ProductEdgesGuards;
import io.polystore.catalog.product.ProductSearch;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealQl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The SurrealQL of products. The writes are transactions that check what they depend on and throw a code the caller
 * turns into a problem; the caller appends the statements that record the catalog version and write the outbox
 * ({@code ProductChanged}, and the state the other regions replicate).
 */
public final class ProductStatements {

    public static final String NOT_FOUND = "not-found";
    public static final String VERSION_CONFLICT = "version-conflict";
    public static final String SKU_TAKEN = "sku-taken";
    public static final String UNKNOWN_CATEGORY = "unknown-category";
    public static final String RESERVED = "reserved";

    public static final SurrealQl GET = SurrealQl.of("SELECT * FROM ONLY type::record('product', $key);");

    private static final SurrealQl LET_PRODUCT = SurrealQl.of("LET $product = type::record('product', $key);");
    private static final SurrealQl LET_CURRENT_VERSION = SurrealQl.of("LET $current_version = $product.version;");
    private static final SurrealQl SKU_AND_CATEGORIES_VALID = SurrealQl
            .throwIf("count(SELECT id FROM product WHERE sku = $doc.sku AND id != $product LIMIT 1) > 0", SKU_TAKEN)
            .then(SurrealQl.throwIf("array::len(array::filter($doc.categories, |$c| !record::exists($c))) > 0",
                    UNKNOWN_CATEGORY));

    /** The new product and its stock; then the outbox. */
    public static SurrealQl create(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PRODUCT, SKU_AND_CATEGORIES_VALID, SurrealQl.of("""
                CREATE ONLY $product CONTENT $doc;
                CREATE ONLY type::record('inventory', $key) CONTENT {
                    product: $product, available: $stock, reserved: 0, sold: 0, updated_at: $doc.updated_at
                };"""), outbox);
    }

    /** The product replaced, if it still has the version the change is based on; then the outbox. */
    public static SurrealQl update(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PRODUCT, LET_CURRENT_VERSION,
                SurrealQl.throwIf("!record::exists($product)", NOT_FOUND),
                SurrealQl.throwIf("$current_version != $expected_version", VERSION_CONFLICT),
                SKU_AND_CATEGORIES_VALID, SurrealQl.of("""
                        UPDATE ONLY $product SET sku = $doc.sku, name = $doc.name, description = $doc.description,
                            price = $doc.price, attributes = $doc.attributes, categories = $doc.categories,
                            active = $doc.active, version = $doc.version, updated_at = $doc.updated_at;"""), outbox);
    }

    /**
     * The product, its edges and its stock gone, unless units are reserved; then the outbox. Writes the product's
     * guard, so that a link to it at the same time conflicts with it ({@link ProductEdgesGuards}).
     */
    public static SurrealQl delete(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PRODUCT, LET_CURRENT_VERSION,
                SurrealQl.of("LET $reserved = type::record('inventory', $key).reserved ?? 0;"),
                SurrealQl.throwIf("$current_version != $expected_version", CatalogTransactions.STALE),
                SurrealQl.throwIf("$reserved > 0", RESERVED), ProductEdgesGuards.write("key"),
                SurrealQl.of("""
                        DELETE $product;
                        DELETE type::record('inventory', $key);"""), outbox);
    }

    /** Products whose state was never published (created before the catalog was replicated): {@code Row}s. */
    public static final SurrealQl UNPUBLISHED = SurrealQl.of("""
            SELECT * FROM product
            WHERE !record::exists(type::record('catalog_version', 'product:' + <string> record::id(id)))
            LIMIT $limit;""");

    /** Nothing but the outbox, if the product still has the version read and no state was published meanwhile. */
    public static SurrealQl publishUnpublished(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PRODUCT, LET_CURRENT_VERSION, CatalogVersions.LET_HELD,
                SurrealQl.throwIf("$held_version != 0 OR $current_version != $expected_version", CatalogTransactions.STALE),
                outbox);
    }

    /** Statement 1: the product; statement 2: its active related products, linked in either direction. */
    public static final SurrealQl DETAIL = LET_PRODUCT.then(SurrealQl.of("""
            SELECT * FROM ONLY $product;
            SELECT id, sku, name, price FROM array::distinct(array::concat($product->related_to->product,
                $product<-related_to<-product)) WHERE active = true;"""));

    public static final SurrealQl SUMMARIES = SurrealQl.of(
            "SELECT id, sku, name, price FROM $ids WHERE active = true;");

    private static final SurrealQl LET_PAIR = SurrealQl.of("""
            LET $a = type::record('product', $a_key);
            LET $b = type::record('product', $b_key);""");
    private static final SurrealQl LET_PAIR_STATE = CatalogVersions.LET_HELD.then(SurrealQl.of("""
            LET $pair = {
                linked: count(SELECT id FROM related_to WHERE (in = $a AND out = $b) OR (in = $b AND out = $a)) > 0,
                version: $held_version
            };"""));

    /**
     * Whether {@code $a_key} and {@code $b_key} are related, and the pair's replication version ({@code $replication_key}):
     * {@link PairRow}.
     */
    public static final SurrealQl READ_PAIR = LET_PAIR.then(LET_PAIR_STATE).then(SurrealQl.of("RETURN $pair;"));
    /** The statement of {@link #READ_PAIR} that returns the pair. */
    public static final int PAIR = 4;

    /** The pair as read, linked or not. */
    public record PairRow(boolean linked, long version) {
    }

    /**
     * Links {@code $a_key} to {@code $b_key}, if both products exist and the pair is still as read; then the outbox.
     * Writes both products' guards, so that a deletion of either at the same time, which would not see the new edge,
     * conflicts with it ({@link ProductEdgesGuards}).
     */
    public static SurrealQl relate(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PAIR,
                SurrealQl.throwIf("!record::exists($a) OR !record::exists($b)", NOT_FOUND),
                LET_PAIR_STATE, SurrealQl.throwIf("$pair != $observed", CatalogTransactions.STALE),
                ProductEdgesGuards.write("a_key"), ProductEdgesGuards.write("b_key"),
                SurrealQl.of("RELATE $a->related_to->$b SET created_at = $now;"), outbox);
    }

    /** Related pairs whose state was never published (linked before the catalog was replicated): {@link UnpublishedPair}s. */
    public static final SurrealQl UNPUBLISHED_PAIRS = SurrealQl.of("""
            SELECT record::id(in) AS a_key, record::id(out) AS b_key, created_at FROM related_to
            WHERE !record::exists(type::record('catalog_version',
                    'related_to:' + <string> record::id(in) + ':' + <string> record::id(out)))
                AND !record::exists(type::record('catalog_version',
                    'related_to:' + <string> record::id(out) + ':' + <string> record::id(in)))
            LIMIT $limit;""");

    /** An edge {@code a -> b} as read. */
    public record UnpublishedPair(String aKey, String bKey, Instant createdAt) {
    }

    /** Nothing but the outbox, if the pair is still linked and unpublished ({@code $observed}). */
    public static SurrealQl publishUnpublishedPair(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PAIR, LET_PAIR_STATE,
                SurrealQl.throwIf("$pair != $observed", CatalogTransactions.STALE), outbox);
    }

    /** Unlinks {@code $a_key} and {@code $b_key}, if the pair is still as read; then the outbox. */
    public static SurrealQl unrelate(SurrealQl outbox) {
        return SurrealQl.transaction(LET_PAIR, LET_PAIR_STATE,
                SurrealQl.throwIf("$pair != $observed", CatalogTransactions.STALE),
                SurrealQl.of("DELETE related_to WHERE (in = $a AND out = $b) OR (in = $b AND out = $a);"), outbox);
    }

    private static final String ACTIVE = "active = true";
    private static final String TEXT_IN_NAME_DESCRIPTION_OR_SKU = "(string::contains(string::lowercase(name), $text)"
            + " OR string::contains(string::lowercase(description), $text)"
            + " OR string::contains(string::lowercase(sku), $text))";
    private static final SurrealQl LET_CATEGORY_AND_DESCENDANTS = SurrealQl.of(
            "LET $categories = SELECT VALUE id FROM category WHERE id = $category OR ancestors CONTAINS $category;");
    private static final String IN_CATEGORIES = "categories ANYINSIDE $categories";
    private static final String FROM_MIN_PRICE = "price.amount >= $min_price";
    private static final String UP_TO_MAX_PRICE = "price.amount <= $max_price";
    private static final String IN_CURRENCY = "price.currency = $currency";
    private static final Map<ProductSearch.Sort, String> SORT_FIELDS = Map.of(
            ProductSearch.Sort.NAME, "name", ProductSearch.Sort.PRICE, "price.amount");

    private ProductStatements() {
    }

    /**
     * The search: its last statement selects one page plus one product, which tells whether another page follows.
     * Every criterion is a fixed condition on variables, and the sort field one of two constants.
     */
    public static SurrealQl search(ProductSearch search, SearchCursor after, int limit) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> vars = new LinkedHashMap<>();
        if (!search.includeInactive()) {
            conditions.add(ACTIVE);
        }
        if (search.text() != null && !search.text().isBlank()) {
            conditions.add(TEXT_IN_NAME_DESCRIPTION_OR_SKU);
            vars.put("text", search.text().strip().toLowerCase(Locale.ROOT));
        }
        if (search.categoryId() != null) {
            conditions.add(IN_CATEGORIES);
            vars.put("category", RecordId.of("category", search.categoryId()));
        }
        if (search.minPrice() != null) {
            conditions.add(FROM_MIN_PRICE);
            vars.put("min_price", search.minPrice());
        }
        if (search.maxPrice() != null) {
            conditions.add(UP_TO_MAX_PRICE);
            vars.put("max_price", search.maxPrice());
        }
        if (search.currency() != null) {
            conditions.add(IN_CURRENCY);
            vars.put("currency", search.currency());
        }
        int attribute = 0;
        for (Map.Entry<String, String> entry : search.attributes().entrySet()) {
            conditions.add("<string> attributes[$attribute_name_" + attribute + "] = $attribute_value_" + attribute);
            vars.put("attribute_name_" + attribute, entry.getKey());
            vars.put("attribute_value_" + attribute, entry.getValue());
            attribute++;
        }
        String sortField = SORT_FIELDS.get(search.sort());
        if (after != null) {
            conditions.add("(" + sortField + " > $after_value OR (" + sortField + " = $after_value AND id > $after_id))");
            vars.put("after_value", search.sort() == ProductSearch.Sort.PRICE ? after.price() : after.name());
            vars.put("after_id", RecordId.of("product", after.id()));
        }
        vars.put("limit", limit + 1);
        SurrealQl query = SurrealQl.of("SELECT * FROM product"
                + (conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions))
                + " ORDER BY " + sortField + ", id LIMIT $limit;");
        if (search.categoryId() != null) {
            query = LET_CATEGORY_AND_DESCENDANTS.then(query);
        }
        for (Map.Entry<String, Object> var : vars.entrySet()) {
            query = query.with(var.getKey(), var.getValue());
        }
        return query;
    }
}
