package io.polystore.surrealdb.migration;

import java.time.Instant;

/** A row of the {@code schema_migration} table: a migration that was applied, and when. */
public record AppliedMigration(long version, String description, String checksum, Instant appliedAt) {
}
