package io.polystore.testkit.backup;

import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PostgresBackupIT {

    @TempDir
    Path directory;

    @Test
    void restoresToTheNewestArchivedPointAndToAPointInTime() throws Exception {
        BackupLayout layout = new BackupLayout(directory.resolve("backups"));
        PostgresBackup backup = new PostgresBackup(layout);
        Map<String, String> settings = backup.archivingSettings(Duration.ofSeconds(1));
        Path data = directory.resolve("postgres");
        Instant pointInTime;
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, settings, Duration.ofSeconds(60))) {
            String url = server.jdbcUrl("postgres");
            backup.configureArchiveCommand(url, server.username(), server.password());
            execute(url, "CREATE TABLE item (id int PRIMARY KEY)", "INSERT INTO item VALUES (1)");
            PostgresBackup.BaseBackup base = backup.take(url, server.username(), server.password(), data);
            assertThat(backup.baseBackups()).containsExactly(base);
            execute(url, "INSERT INTO item VALUES (2)");
            Thread.sleep(200);
            pointInTime = Instant.now();
            Thread.sleep(200);
            long archived = count(url, "SELECT archived_count FROM pg_stat_archiver");
            execute(url, "INSERT INTO item VALUES (3)", "SELECT pg_switch_wal()");
            await().atMost(Duration.ofSeconds(30)).until(() -> count(url, "SELECT archived_count FROM pg_stat_archiver") > archived);
            assertThat(count(url, "SELECT failed_count FROM pg_stat_archiver")).isZero();
        }

        Restored newest = restore(backup, data, settings, null);
        assertThat(newest.items()).isEqualTo(3);
        assertThat(newest.point()).isAfter(pointInTime);
        assertThat(newest.recoverySettingsLeft()).isZero();

        Restored beforeThird = restore(backup, data, settings, pointInTime);
        assertThat(beforeThird.items()).isEqualTo(2);
        assertThat(beforeThird.point()).isBefore(pointInTime);
    }

    private record Restored(long items, Instant point, long recoverySettingsLeft) {
    }

    /** Replaces the data directory with a restore to the target and starts it: what it holds, and its point. */
    private static Restored restore(PostgresBackup backup, Path data, Map<String, String> settings, Instant target)
            throws SQLException {
        PostgresBackup.deleteTree(data);
        backup.prepareRestore(backup.newestFor(target).orElseThrow(), data, target);
        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(data, 0, settings, Duration.ofSeconds(60))) {
            String url = server.jdbcUrl("postgres");
            Instant point = backup.finishRestore(url, server.username(), server.password(), Duration.ofSeconds(60)).orElseThrow();
            return new Restored(count(url, "SELECT count(*) FROM item"), point,
                    count(url, "SELECT count(*) FROM pg_settings WHERE name = 'restore_command' AND setting <> ''"));
        }
    }

    private static void execute(String url, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static long count(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
