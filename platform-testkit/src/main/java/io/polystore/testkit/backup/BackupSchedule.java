package io.polystore.testkit.backup;

import java.time.Duration;
import java.util.Map;

/**
 * How often the running platform backs up; each from an environment variable, in seconds.
 *
 * @param baseBackupInterval {@code POLYSTORE_BACKUP_BASE_INTERVAL}: a PostgreSQL base backup (default 6 h)
 * @param exportInterval     {@code POLYSTORE_BACKUP_EXPORT_INTERVAL}: a SurrealDB export (default 15 min)
 * @param changeFeedInterval {@code POLYSTORE_BACKUP_CHANGES_INTERVAL}: archiving SurrealDB's change feeds (1 s)
 * @param archiveTimeout     {@code POLYSTORE_BACKUP_ARCHIVE_TIMEOUT}: PostgreSQL's {@code archive_timeout}, the
 *                           longest a committed transaction waits to be archived (3 s)
 * @param keep               {@code POLYSTORE_BACKUP_KEEP}: base backups and exports kept (2); WAL is kept from the
 *                           oldest base backup kept on
 */
public record BackupSchedule(Duration baseBackupInterval, Duration exportInterval, Duration changeFeedInterval,
                             Duration archiveTimeout, int keep) {

    public BackupSchedule {
        for (Duration interval : new Duration[] {baseBackupInterval, exportInterval, changeFeedInterval, archiveTimeout}) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("Backup intervals must be positive, not " + interval);
            }
        }
        if (keep < 1) {
            throw new IllegalArgumentException("POLYSTORE_BACKUP_KEEP must be at least 1, not " + keep);
        }
    }

    public static BackupSchedule defaults() {
        return new BackupSchedule(Duration.ofHours(6), Duration.ofMinutes(15), Duration.ofSeconds(1),
                Duration.ofSeconds(3), 2);
    }

    /** The defaults, overridden by the environment variables named above. */
    public static BackupSchedule fromEnvironment(Map<String, String> environment) {
        BackupSchedule defaults = defaults();
        return new BackupSchedule(
                seconds(environment, "POLYSTORE_BACKUP_BASE_INTERVAL", defaults.baseBackupInterval()),
                seconds(environment, "POLYSTORE_BACKUP_EXPORT_INTERVAL", defaults.exportInterval()),
                seconds(environment, "POLYSTORE_BACKUP_CHANGES_INTERVAL", defaults.changeFeedInterval()),
                seconds(environment, "POLYSTORE_BACKUP_ARCHIVE_TIMEOUT", defaults.archiveTimeout()),
                (int) number(environment, "POLYSTORE_BACKUP_KEEP", defaults.keep()));
    }

    private static Duration seconds(Map<String, String> environment, String name, Duration fallback) {
        return Duration.ofSeconds(number(environment, name, fallback.toSeconds()));
    }

    private static long number(Map<String, String> environment, String name, long fallback) {
        String value = environment.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number of seconds, not '" + value + "'");
        }
    }
}
