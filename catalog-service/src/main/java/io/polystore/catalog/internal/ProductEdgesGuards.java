package io.polystore.catalog.internal;

import io.polystore.surrealdb.SurrealQl;

/**
 * The guard of a product's edges (table {@code product_edges_guard}, keyed by the product's key): written by every
 * transaction that makes an edge to the product after reading that it exists (or was not deleted), and by every
 * transaction that deletes it. SurrealDB (3.0.2 on RocksDB) does not detect that one transaction read what another
 * wrote, only that both wrote one key: without the guard, a link could see the product while its deletion, not seeing
 * the new edge, left it behind (write skew). With it, the one that commits second fails with a retryable conflict
 * and runs again ({@link CatalogTransactions}), seeing what the other did. Its content, when it was last written, is
 * not read.
 */
public final class ProductEdgesGuards {

    private ProductEdgesGuards() {
    }

    /** Writes the guard of the product whose key is the query parameter {@code keyParameter} (a name, without {@code $}). */
    public static SurrealQl write(String keyParameter) {
        return SurrealQl.of("UPSERT type::record('product_edges_guard', $" + keyParameter + ") SET written_at = time::now();");
    }
}
