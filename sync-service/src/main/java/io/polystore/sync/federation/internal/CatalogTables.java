package io.polystore.sync.federation.internal;

import io.polystore.sync.federation.internal.CatalogColumn.Kind;

import java.util.List;

import static io.polystore.sync.federation.internal.CatalogColumn.field;
import static io.polystore.sync.federation.internal.CatalogColumn.key;
import static io.polystore.sync.federation.internal.CatalogColumn.optionalKey;
import static io.polystore.sync.federation.internal.CatalogColumn.split;

/**
 * The tables of the {@code catalog} schema over catalog-service's SurrealDB database. Record ids appear as their
 * keys (what order lines hold as {@code product_id}); graph edges are tables with {@code in_id} and {@code out_id};
 * array fields (a product's categories, a category's ancestors) are tables of their own, one row per element.
 * Left out: customers and their {@code purchased} edges (who bought what is personal data), the inbox and the
 * reservations' lines.
 */
final class CatalogTables {

    private CatalogTables() {
    }

    static List<CatalogTable> all(CatalogStore store) {
        return List.of(
                new CatalogTable("category", "category", null, null, List.of(
                        key("id", "category", "id"),
                        field("name", Kind.STRING, "name", false),
                        optionalKey("parent_id", "category", "parent"),
                        field("created_at", Kind.TIMESTAMP, "created_at", false),
                        field("updated_at", Kind.TIMESTAMP, "updated_at", false)), 100, store),
                // A category with itself and each of its ancestors: what rolls figures up the tree.
                new CatalogTable("category_lineage", "category", null, "ancestor_id", List.of(
                        key("category_id", "category", "id"),
                        split("ancestor_id", "array::map(array::concat([id], ancestors), |$c| record::id($c))")),
                        300, store),
                new CatalogTable("product", "product", null, null, List.of(
                        key("id", "product", "id"),
                        field("sku", Kind.STRING, "sku", false),
                        field("name", Kind.STRING, "name", false),
                        field("price_amount", Kind.DECIMAL, "price.amount", false),
                        field("currency", Kind.STRING, "price.currency", false),
                        field("active", Kind.BOOLEAN, "active", false),
                        field("version", Kind.BIGINT, "version", false),
                        field("created_at", Kind.TIMESTAMP, "created_at", false),
                        field("updated_at", Kind.TIMESTAMP, "updated_at", false)), 1_000, store),
                new CatalogTable("product_category", "product", "array::len(categories) > 0", "category_id", List.of(
                        key("product_id", "product", "id"),
                        split("category_id", "array::map(categories, |$c| record::id($c))")), 1_500, store),
                new CatalogTable("inventory", "inventory", null, null, List.of(
                        key("product_id", "inventory", "id"),
                        field("available", Kind.BIGINT, "available", false),
                        field("reserved", Kind.BIGINT, "reserved", false),
                        field("sold", Kind.BIGINT, "sold", false),
                        field("updated_at", Kind.TIMESTAMP, "updated_at", false)), 1_000, store),
                new CatalogTable("reservation", "reservation", null, null, List.of(
                        key("order_id", "reservation", "id"),
                        field("status", Kind.STRING, "status", false),
                        field("expires_at", Kind.TIMESTAMP, "expires_at", true),
                        field("created_at", Kind.TIMESTAMP, "created_at", false),
                        field("updated_at", Kind.TIMESTAMP, "updated_at", false)), 10_000, store),
                new CatalogTable("related_to", "related_to", null, null, List.of(
                        key("in_id", "product", "in"),
                        key("out_id", "product", "out"),
                        field("created_at", Kind.TIMESTAMP, "created_at", false)), 1_000, store),
                new CatalogTable("bought_together", "bought_together", null, null, List.of(
                        key("in_id", "product", "in"),
                        key("out_id", "product", "out"),
                        field("weight", Kind.BIGINT, "weight", false)), 5_000, store));
    }
}
