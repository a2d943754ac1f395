package io.polystore.testkit.backup;

import java.nio.file.Path;

/**
 * Where backups are kept: a directory that a real deployment keeps on other disks or off site (the local platform's
 * default is {@code <data>/backups}, which the restore never touches):
 * <pre>
 *   postgres/base/&lt;time&gt;/        base backups (a copy of the data directory with its backup_label)
 *   postgres/wal/                 archived WAL segments, gzip-compressed
 *   surrealdb/exports/&lt;time&gt;/    the engine's exports of the catalog databases
 *   surrealdb/changes/            the archived change feeds, one log and cursor per database
 *   erasures.log                  every erasure of a customer's personal data, re-applied after a restore
 * </pre>
 */
public record BackupLayout(Path root) {

    public BackupLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path postgresBaseBackups() {
        return root.resolve("postgres").resolve("base");
    }

    public Path postgresWal() {
        return root.resolve("postgres").resolve("wal");
    }

    public Path surrealExports() {
        return root.resolve("surrealdb").resolve("exports");
    }

    public Path surrealChanges() {
        return root.resolve("surrealdb").resolve("changes");
    }

    /** order-service appends every erasure here ({@code polystore.personal-data.erasure-log}). */
    public Path erasureLog() {
        return root.resolve("erasures.log");
    }
}
