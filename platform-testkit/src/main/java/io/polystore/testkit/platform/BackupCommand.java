package io.polystore.testkit.platform;

import io.polystore.testkit.backup.PlatformBackups;
import io.polystore.testkit.backup.PlatformRestore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** {@code ./polystore backup} and {@code ./polystore restore [--to <instant>]}. */
final class BackupCommand {

    private BackupCommand() {
    }

    /** A base backup and a SurrealDB export of the running platform, now; returns the exit status. */
    static int backup(Path data, PlatformPorts ports) {
        if (!Files.isDirectory(data.resolve("postgres"))) {
            System.err.println("No platform data in " + data + ": start it with ./polystore first");
            return 1;
        }
        try {
            ports.requireFree();
            System.err.println("The platform is not running: start it with ./polystore, then back up");
            return 1;
        } catch (IllegalStateException running) {
            // Its ports are taken: it runs.
        }
        PlatformBackups backups = new PlatformBackups(LocalPlatform.backupLayout(data), data.resolve("postgres"),
                "jdbc:postgresql://localhost:" + ports.postgres() + "/postgres", "http://127.0.0.1:" + ports.surrealDb());
        try {
            System.out.println(backups.backUpNow());
            System.out.println("Backups are in " + backups.layout().root() + "; WAL is archived continuously.");
            return 0;
        } catch (RuntimeException e) {
            System.err.println("The backup failed: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Stops a running {@code ./polystore} (its launcher's pid is in {@code <data>/launcher.pid}), restores the stores
     * and starts the platform again, printing each step and its duration and what the restore gave up.
     */
    static LocalPlatform restore(LocalPlatform.Options options, Instant target) {
        long begin = System.nanoTime();
        System.out.println("Restoring " + (target == null ? "to the newest point" : "to " + target) + " from "
                + LocalPlatform.backupLayout(options.dataDirectory()).root() + " ...");
        stopRunningLauncher(options.dataDirectory());
        LocalPlatform.Restored restored = LocalPlatform.restore(options, target);
        PlatformRestore.Report report = restored.report();
        System.out.printf("""

                Restored in %.1f s (from the start of the restore to the gateway taking requests).
                  PostgreSQL   base backup %s, WAL replayed to %s
                  SurrealDB    export %s, %d changes replayed, up to %s (its archive reached %s)
                  Kafka        consumer groups re-read %s; relay offsets cleared: %d
                  Audit trail  %s; records after it are read again from audit.events
                  Erasures     %d in the erasure log, applied again by order-service at its start
                """, (System.nanoTime() - begin) / 1e9, report.baseBackup().directory().getFileName(),
                report.postgresPoint(), report.surreal().export().directory().getFileName(),
                report.surreal().changesReplayed(), report.surrealPoint(), report.newestArchived(),
                report.redelivered(), report.relayOffsetsCleared(), report.auditTail(), report.erasuresLogged());
        return restored.platform();
    }

    private static void stopRunningLauncher(Path data) {
        Path pidFile = data.resolve("launcher.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(launcher -> {
                System.out.println("  stopping the running platform (pid " + pid + ") ...");
                launcher.destroy();
                launcher.onExit().orTimeout(Duration.ofMinutes(2).toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            });
        } catch (java.io.IOException | NumberFormatException e) {
            System.err.println("  cannot read " + pidFile + ": " + e.getMessage());
        }
    }
}
