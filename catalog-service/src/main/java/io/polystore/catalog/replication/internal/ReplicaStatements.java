package io.polystore.catalog.replication.internal;

import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.CatalogVersions;
import io.polystore.catalog.internal.ProductEdgesGuards;
import io.polystore.surrealdb.SurrealQl;

/**
 * The SurrealQL of a replica: the state of a global catalog record applied over whatever this region holds of it, in
 * one transaction with the event in the inbox, the record's new replication version and (for products) the outbox.
 * Fields of records are read with {@code LET} before any {@code IF} (SurrealDB 3.0.2, see the README).
 */
public final class ReplicaStatements {

    /** Its result: {@link Held}. */
    public static final SurrealQl READ = CatalogVersions.LET_HELD.then(SurrealQl.of("""
            RETURN {
                processed: record::exists(type::record('inbox', $event_id)),
                version: $held_version
            };"""));
    /** The statement of {@link #READ} that returns what is held. */
    public static final int HELD = 1;

    /** Whether the event was applied already, and the version of its record this region holds (0 for none). */
    public record Held(boolean processed, long version) {
    }

    private static final SurrealQl RECORD_IN_INBOX = SurrealQl.of(
            "CREATE type::record('inbox', $event_id) SET type = $event_type, processed_at = $now;");

    /** A state no newer than the one held: only remembered as processed. */
    public static final SurrealQl ACKNOWLEDGE = RECORD_IN_INBOX;

    /** The product as the state has it, with a stock row of its own if it has none here yet (stock is regional). */
    public static final SurrealQl PUT_PRODUCT = SurrealQl.of("""
            LET $product = type::record('product', $key);
            UPSERT $product CONTENT $doc;
            IF !record::exists(type::record('inventory', $key)) {
                CREATE type::record('inventory', $key) CONTENT {
                    product: $product, available: 0, reserved: 0, sold: 0, updated_at: $now
                };
            };""");

    /**
     * The product gone, as where the catalog is written; its stock too, unless units of it are reserved here, which
     * their orders still confirm or release. Its edges go too, also when this region never had the product (a region
     * that joins later gets only the deletion of a deleted product, maybe after a link to it), which deleting the
     * record alone would leave. Only the edges committed, though: its guard, which every state of a pair with it
     * writes too, makes SurrealDB report a pair's state applied at the same time as a conflict (see {@link #PUT_PAIR}).
     */
    public static final SurrealQl DELETE_PRODUCT = ProductEdgesGuards.write("key").then(SurrealQl.of("""
            LET $product = type::record('product', $key);
            DELETE $product->related_to, $product<-related_to;
            DELETE $product;
            LET $reserved = type::record('inventory', $key).reserved ?? 0;
            IF $reserved = 0 {
                DELETE type::record('inventory', $key);
            };"""));

    public static final SurrealQl PUT_CATEGORY = SurrealQl.of("""
            UPSERT type::record('category', $key) CONTENT {
                name: $name, parent: $parent, ancestors: $ancestors, version: $version,
                created_at: $created_at, updated_at: $updated_at
            };""");

    public static final SurrealQl DELETE_CATEGORY = SurrealQl.of("DELETE type::record('category', $key);");

    /**
     * The pair's edge as the state has it: none, or one in the state's direction. States of different records may come
     * in another order than they were written (they travel on different partitions): an edge may come before its
     * products, and is kept; one that comes after the deletion of either product is not made, as where the catalog is
     * written the deletion took the product's edges with it.
     * <p>
     * States of different records may also be applied at the same time (several consumers, several instances): a link
     * could see its product while the product's deletion, not seeing the new edge, left it behind. SurrealDB does not
     * detect that one transaction read what the other wrote, only that both wrote the same key; so both write the
     * product's guard ({@link ProductEdgesGuards}), unconditionally (the product may be unknown here yet), and the
     * one that commits second fails with a retryable conflict and runs again, seeing the other's result.
     */
    public static final SurrealQl PUT_PAIR = ProductEdgesGuards.write("a_key").then(ProductEdgesGuards.write("b_key"))
            .then(SurrealQl.of("""
            LET $a = type::record('product', $a_key);
            LET $b = type::record('product', $b_key);
            DELETE related_to WHERE (in = $a AND out = $b) OR (in = $b AND out = $a);
            LET $a_deleted = record::exists(type::record('catalog_version', $a_replication_key)) AND !record::exists($a);
            LET $b_deleted = record::exists(type::record('catalog_version', $b_replication_key)) AND !record::exists($b);
            IF $linked AND !$a_deleted AND !$b_deleted {
                RELATE $a->related_to->$b SET created_at = $changed_at;
            };"""));

    private ReplicaStatements() {
    }

    /**
     * The transaction that applies a state: the event into the inbox (a concurrent duplicate fails on it), the held
     * version still the one read ({@code stale} otherwise), the record's change, its new version, and then the
     * {@code outbox}, if the change has events for it (null if not).
     */
    public static SurrealQl apply(SurrealQl change, SurrealQl version, SurrealQl outbox) {
        SurrealQl checked = RECORD_IN_INBOX.then(CatalogVersions.LET_HELD)
                .then(SurrealQl.throwIf("$held_version != $observed_version", CatalogTransactions.STALE))
                .then(change).then(version);
        return outbox == null ? SurrealQl.transaction(checked) : SurrealQl.transaction(checked, outbox);
    }
}
