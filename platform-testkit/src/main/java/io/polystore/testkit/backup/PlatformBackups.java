package io.polystore.testkit.backup;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The local platform's backups: PostgreSQL's base backups and WAL archive, catalog-service's SurrealDB exports and
 * change feeds, and the erasure log, all under one {@link BackupLayout}.
 *
 * @param layout       where the backups are
 * @param postgresData the running PostgreSQL's data directory, which base backups copy
 * @param postgresUrl JDBC URL of the {@code postgres} database of the running server
 * @param surrealUrl  the SurrealDB server's address
 */
public record PlatformBackups(BackupLayout layout, Path postgresData, String postgresUrl, String surrealUrl) {

    /** The namespace and databases of catalog-service (its catalog and its change-fed outbox). */
    public static final String SURREAL_NAMESPACE = "polystore";
    public static final List<String> SURREAL_DATABASES = List.of("catalog", "catalog_outbox");
    /** sync-service's Debezium offsets ({@code polystore.sync.postgres.offset-topic}). */
    public static final String RELAY_OFFSET_TOPIC = "sync-service.offsets";
    static final String POSTGRES_USER = "postgres";
    static final String POSTGRES_PASSWORD = "postgres";
    static final String SURREAL_USER = "root";
    static final String SURREAL_PASSWORD = "root";

    public PostgresBackup postgres() {
        return new PostgresBackup(layout);
    }

    public SurrealBackup surreal() {
        return new SurrealBackup(layout, surrealUrl, SURREAL_USER, SURREAL_PASSWORD, SURREAL_NAMESPACE, SURREAL_DATABASES);
    }

    /** PostgreSQL's settings for WAL archiving into these backups. */
    public static Map<String, String> archivingSettings(BackupLayout layout, Duration archiveTimeout) {
        return new PostgresBackup(layout).archivingSettings(archiveTimeout);
    }

    /** Points PostgreSQL's WAL archiving at these backups. */
    public void configureArchiving() {
        postgres().configureArchiveCommand(postgresUrl, POSTGRES_USER, POSTGRES_PASSWORD);
    }

    /** A base backup and an export, now ({@code ./polystore backup}). */
    public String backUpNow() {
        long begin = System.nanoTime();
        PostgresBackup.BaseBackup base = postgres().take(postgresUrl, POSTGRES_USER, POSTGRES_PASSWORD, postgresData);
        double baseSeconds = (System.nanoTime() - begin) / 1e9;
        begin = System.nanoTime();
        SurrealBackup.Export export = surreal().export();
        surreal().archiveChanges();
        return String.format("PostgreSQL base backup %s in %.1f s%nSurrealDB export %s in %.1f s",
                base.directory(), baseSeconds, export.directory(), (System.nanoTime() - begin) / 1e9);
    }
}
