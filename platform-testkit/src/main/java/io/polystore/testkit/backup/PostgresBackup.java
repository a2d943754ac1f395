package io.polystore.testkit.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * PostgreSQL's own continuous archiving and point-in-time recovery: every finished WAL segment is copied, compressed,
 * into {@code wal/} by the server's {@code archive_command} (and at least every {@code archive_timeout}); base backups
 * are copies of the data directory between {@code pg_backup_start} and {@code pg_backup_stop} (the low-level API
 * that {@code pg_basebackup} uses too: zonky's binaries have no {@code pg_basebackup}); a restore prepares a data
 * directory from a base backup with {@code recovery.signal}, a {@code restore_command} and, for a point in time, a
 * {@code recovery_target_time}, and PostgreSQL replays the archived WAL itself.
 */
public final class PostgresBackup {

    /** Contents that a base backup leaves out, as {@code pg_basebackup} does; replication slots among them. */
    private static final Set<String> LEFT_OUT = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans", "postmaster.pid", "postmaster.opts", "epg-lock",
            "recovery.signal", "standby.signal", "backup_label.old");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(java.time.ZoneOffset.UTC);

    private static final DateTimeFormatter TARGET_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(java.time.ZoneOffset.UTC);

    private final Path baseBackups;
    private final Path wal;

    public PostgresBackup(BackupLayout layout) {
        this.baseBackups = layout.postgresBaseBackups();
        this.wal = layout.postgresWal();
    }

    /** One base backup: where, and the times it covers (restorable to any point after {@code finishedAt}). */
    public record BaseBackup(Path directory, Instant startedAt, Instant finishedAt, String startLsn, String stopLsn) {
    }

    /**
     * The server settings that turn archiving on (they need a restart). The command is set by
     * {@link #configureArchiveCommand}: zonky hands settings to {@code pg_ctl -o}, which splits them at spaces.
     */
    public Map<String, String> archivingSettings(Duration archiveTimeout) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("archive_mode", "on");
        settings.put("archive_timeout", Long.toString(Math.max(1, archiveTimeout.toSeconds())));
        return settings;
    }

    /**
     * Sets the {@code archive_command} that copies every finished WAL segment, compressed and synced, into the
     * backup location ({@code ALTER SYSTEM}, so base backups carry it too). Segments finished before it was set wait in
     * {@code pg_wal} and are archived once it is.
     */
    public void configureArchiveCommand(String jdbcUrl, String username, String password) {
        createDirectories(wal);
        Path segment = wal.resolve("%f.gz");
        // An existing file is a segment archived before a crash cut the server off from the answer: done already.
        String command = "f=" + quote(segment) + "; test -f \"$f\" || { gzip -1 -c %p > \"$f.tmp\" && sync \"$f.tmp\""
                + " && mv \"$f.tmp\" \"$f\"; }";
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
             Statement statement = connection.createStatement()) {
            // ALTER SYSTEM takes no bind parameters; the command is this class's own text with the path quoted.
            statement.execute("ALTER SYSTEM SET archive_command = '" + command.replace("'", "''") + "'");
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set the archive_command of " + jdbcUrl + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes a base backup of the running server whose data directory is {@code dataDirectory}; returns once every
     * WAL segment it needs is archived, so that it can be restored at once.
     */
    public BaseBackup take(String jdbcUrl, String username, String password, Path dataDirectory) {
        Instant startedAt = Instant.now();
        Path partial = baseBackups.resolve(STAMP.format(startedAt) + ".partial");
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
             Statement statement = connection.createStatement()) {
            String startLsn;
            try (ResultSet start = statement.executeQuery("SELECT pg_backup_start('polystore', true)")) {
                start.next();
                startLsn = start.getString(1);
            }
            copyTree(dataDirectory, partial);
            try (ResultSet stop = statement.executeQuery("SELECT lsn, labelfile, spcmapfile FROM pg_backup_stop(true)")) {
                stop.next();
                Files.writeString(partial.resolve("backup_label"), stop.getString("labelfile"));
                String tablespaceMap = stop.getString("spcmapfile");
                if (tablespaceMap != null && !tablespaceMap.isEmpty()) {
                    Files.writeString(partial.resolve("tablespace_map"), tablespaceMap);
                }
                Instant finishedAt = Instant.now();
                BaseBackup backup = new BaseBackup(baseBackups.resolve(STAMP.format(startedAt)), startedAt, finishedAt,
                        startLsn, stop.getString("lsn"));
                Properties description = new Properties();
                description.setProperty("started-at", startedAt.toString());
                description.setProperty("finished-at", finishedAt.toString());
                description.setProperty("start-lsn", startLsn);
                description.setProperty("stop-lsn", backup.stopLsn());
                try (var out = Files.newOutputStream(partial.resolve("polystore-backup.properties"))) {
                    description.store(out, "a base backup of PostgreSQL, restorable to any time after finished-at");
                }
                Files.move(partial, backup.directory(), StandardCopyOption.ATOMIC_MOVE);
                return backup;
            }
        } catch (SQLException e) {
            deleteTree(partial);
            throw new IllegalStateException("The base backup of " + jdbcUrl + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            deleteTree(partial);
            throw new UncheckedIOException("The base backup into " + partial + " failed", e);
        }
    }

    /** Finished base backups, oldest first. */
    public List<BaseBackup> baseBackups() {
        if (!Files.isDirectory(baseBackups)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(baseBackups)) {
            return entries.filter(path -> Files.isRegularFile(path.resolve("polystore-backup.properties")))
                    .map(PostgresBackup::read)
                    .sorted(Comparator.comparing(BaseBackup::finishedAt))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest base backup finished by {@code target} (the newest of all when there is no target). */
    public Optional<BaseBackup> newestFor(Instant target) {
        return baseBackups().stream().filter(backup -> target == null || !backup.finishedAt().isAfter(target))
                .reduce((older, newer) -> newer);
    }

    /**
     * Keeps the newest {@code keep} base backups and the WAL segments from the oldest of them on; removes the rest.
     *
     * @return how many base backups were removed
     */
    public int prune(int keep) {
        List<BaseBackup> backups = baseBackups();
        if (backups.size() <= keep) {
            return 0;
        }
        List<BaseBackup> removed = backups.subList(0, backups.size() - keep);
        removed.forEach(backup -> deleteTree(backup.directory()));
        String oldestNeeded = segmentOf(backups.get(backups.size() - keep));
        try (Stream<Path> segments = Files.list(wal)) {
            for (Path segment : segments.toList()) {
                String name = segment.getFileName().toString();
                // Segment names are timeline (8 hex) + position (16 hex): compare positions, keep timeline histories.
                if (name.length() >= 24 && !name.contains(".history") && name.substring(8, 24).compareTo(oldestNeeded) < 0) {
                    Files.deleteIfExists(segment);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return removed.size();
    }

    /**
     * Makes {@code dataDirectory} (which must not exist) a copy of the base backup that PostgreSQL, once started,
     * recovers from the archived WAL up to {@code target}, or to the end of the archive when it is null, and then
     * promotes to a new timeline.
     */
    public void prepareRestore(BaseBackup backup, Path dataDirectory, Instant target) {
        try {
            copyTree(backup.directory(), dataDirectory);
            Files.deleteIfExists(dataDirectory.resolve("polystore-backup.properties"));
            Files.createDirectories(dataDirectory.resolve("pg_wal").resolve("archive_status"));
            for (String empty : List.of("pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots",
                    "pg_stat_tmp", "pg_subtrans")) {
                Files.createDirectories(dataDirectory.resolve(empty));
            }
            StringBuilder recovery = new StringBuilder("\n# Written by the restore; reset once it has finished.\n")
                    .append("restore_command = '").append(("gunzip -c " + quote(wal.resolve("%f.gz")) + " > \"%p\"")
                            .replace("'", "''")).append("'\n")
                    .append("recovery_target_timeline = 'latest'\n");
            if (target != null) {
                // Microseconds at most, and a numeric offset: the setting refuses time zone abbreviations such as Z.
                recovery.append("recovery_target_time = '").append(TARGET_TIME.format(target)).append("'\n")
                        .append("recovery_target_action = 'promote'\n");
            }
            Files.writeString(dataDirectory.resolve("postgresql.auto.conf"), recovery,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(dataDirectory.resolve("recovery.signal"), "");
            // PostgreSQL refuses a data directory that others may read.
            Files.setPosixFilePermissions(dataDirectory, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + dataDirectory + " from " + backup.directory(), e);
        }
    }

    /**
     * Waits until the restored server has finished recovery, removes the recovery settings and answers the time of
     * the last transaction it replayed: the point the data was restored to.
     */
    public Optional<Instant> finishRestore(String jdbcUrl, String username, String password, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection connection = DriverManager.getConnection(jdbcUrl, username, password);
             Statement statement = connection.createStatement()) {
            while (true) {
                try (ResultSet inRecovery = statement.executeQuery("SELECT pg_is_in_recovery()")) {
                    inRecovery.next();
                    if (!inRecovery.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL was still recovering after " + timeout);
                }
                Thread.sleep(100);
            }
            for (String setting : List.of("restore_command", "recovery_target_time", "recovery_target_action",
                    "recovery_target_timeline")) {
                statement.execute("ALTER SYSTEM RESET " + setting);
            }
            statement.execute("SELECT pg_reload_conf()");
            try (ResultSet replayed = statement.executeQuery("SELECT pg_last_xact_replay_timestamp()")) {
                replayed.next();
                java.sql.Timestamp at = replayed.getTimestamp(1);
                return Optional.ofNullable(at).map(java.sql.Timestamp::toInstant);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Finishing the restore of " + jdbcUrl + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while PostgreSQL recovered", e);
        }
    }

    private static BaseBackup read(Path directory) {
        Properties description = new Properties();
        try (var in = Files.newInputStream(directory.resolve("polystore-backup.properties"))) {
            description.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new BaseBackup(directory, Instant.parse(description.getProperty("started-at")),
                Instant.parse(description.getProperty("finished-at")), description.getProperty("start-lsn"),
                description.getProperty("stop-lsn"));
    }

    /** The position part of the WAL segment a backup starts in, e.g. {@code 000000000000000A} for LSN 0/A000028. */
    private static String segmentOf(BaseBackup backup) {
        String[] parts = backup.startLsn().split("/");
        long lsn = (Long.parseLong(parts[0], 16) << 32) | Long.parseLong(parts[1], 16);
        long segment = lsn / (16L * 1024 * 1024);
        return String.format("%08X%08X", segment / 256, segment % 256);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        boolean dataDirectoryRoot = isDataDirectoryRoot(from);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (dataDirectoryRoot && LEFT_OUT.contains(name)) {
                    continue;
                }
                Path target = to.resolve(name);
                try {
                    if (Files.isDirectory(entry)) {
                        copyTree(entry, target);
                    } else {
                        Files.copy(entry, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (NoSuchFileException | FileAlreadyExistsException gone) {
                    // A file removed while the copy ran: WAL replay recreates whatever it held.
                }
            }
        }
    }

    private static boolean isDataDirectoryRoot(Path directory) {
        return Files.isRegularFile(directory.resolve("PG_VERSION")) && Files.isDirectory(directory.resolve("global"));
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }

    private static String quote(Path path) {
        return "'" + path.toAbsolutePath().toString().replace("'", "'\\''") + "'";
    }
}
