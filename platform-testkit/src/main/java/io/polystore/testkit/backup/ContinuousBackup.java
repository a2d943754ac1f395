package io.polystore.testkit.backup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The running platform's backups on a schedule: SurrealDB's change feeds archived every second, an export every
 * {@link BackupSchedule#exportInterval()}, a PostgreSQL base backup every {@link BackupSchedule#baseBackupInterval()}
 * (WAL archiving itself is PostgreSQL's). At start, a base backup and an export are taken when none is newer than the
 * last restore, so that there is always one to restore from. A failed step is logged and tried again next time.
 */
public final class ContinuousBackup implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ContinuousBackup.class);

    private final PlatformBackups backups;
    private final BackupSchedule schedule;
    private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2,
            Thread.ofPlatform().name("backup-", 0).daemon().factory());

    private ContinuousBackup(PlatformBackups backups, BackupSchedule schedule) {
        this.backups = backups;
        this.schedule = schedule;
    }

    public static ContinuousBackup start(PlatformBackups backups, BackupSchedule schedule) {
        ContinuousBackup backup = new ContinuousBackup(backups, schedule);
        Instant since = RestoreMarker.lastRestore(backups.layout()).orElse(Instant.EPOCH);
        boolean baseDue = backups.postgres().baseBackups().stream().noneMatch(base -> base.startedAt().isAfter(since));
        boolean exportDue = backups.surreal().exports().stream().noneMatch(export -> export.startedAt().isAfter(since));
        long change = schedule.changeFeedInterval().toMillis();
        backup.scheduler.scheduleWithFixedDelay(() -> backup.step("archiving the change feeds",
                () -> backups.surreal().archiveChanges()), 0, change, TimeUnit.MILLISECONDS);
        backup.scheduler.scheduleWithFixedDelay(backup::export, exportDue ? 0 : schedule.exportInterval().toMillis(),
                schedule.exportInterval().toMillis(), TimeUnit.MILLISECONDS);
        backup.scheduler.scheduleWithFixedDelay(backup::baseBackup,
                baseDue ? 0 : schedule.baseBackupInterval().toMillis(), schedule.baseBackupInterval().toMillis(),
                TimeUnit.MILLISECONDS);
        return backup;
    }

    private void export() {
        step("exporting SurrealDB", () -> {
            SurrealBackup.Export export = backups.surreal().export();
            backups.surreal().prune(schedule.keep());
            log.info("SurrealDB exported into {}", export.directory());
        });
    }

    private void baseBackup() {
        step("taking a PostgreSQL base backup", () -> {
            PostgresBackup.BaseBackup base = backups.postgres().take(backups.postgresUrl(),
                    PlatformBackups.POSTGRES_USER, PlatformBackups.POSTGRES_PASSWORD, backups.postgresData());
            backups.postgres().prune(schedule.keep());
            log.info("PostgreSQL base backup in {} ({} to {})", base.directory(), base.startLsn(), base.stopLsn());
        });
    }

    private void step(String what, Runnable work) {
        try {
            work.run();
        } catch (RuntimeException e) {
            log.warn("Backup: {} failed, tried again on schedule: {}", what, e.getMessage());
        }
    }

    /** Stops the schedule, letting a step under way finish; before the stores stop. */
    @Override
    public void close() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(Duration.ofMinutes(1).toSeconds(), TimeUnit.SECONDS)) {
                scheduler.shutdownNow();
            }
        } catch (InterruptedException e) {
            scheduler.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
