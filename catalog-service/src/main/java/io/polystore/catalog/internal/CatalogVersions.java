package io.polystore.catalog.internal;

import io.polystore.surrealdb.SurrealQl;

import java.time.Instant;

/**
 * The replication version of each global catalog record (table {@code catalog_version}, keyed by the record's key on
 * the replication topic), written in the transaction that changes the record: where the catalog is written, the
 * version of the state it publishes; in a replica, the version it applied.
 */
public final class CatalogVersions {

    /** The version held for {@code $replication_key}, 0 for none: a {@code LET} before any {@code IF} that reads it. */
    public static final SurrealQl LET_HELD = SurrealQl.of(
            "LET $held_version = type::record('catalog_version', $replication_key).version ?? 0;");

    private static final SurrealQl RECORD = SurrealQl.of("""
            UPSERT type::record('catalog_version', $replication_key)
                SET version = $replication_version, updated_at = $replication_at;""");

    private CatalogVersions() {
    }

    /** Records {@code version} as the version of the record with the replication key {@code key}. */
    public static SurrealQl record(String key, long version, Instant at) {
        return RECORD.with("replication_key", key).with("replication_version", version).with("replication_at", at);
    }
}
