package io.polystore.testkit.backup;

import io.polystore.testkit.postgres.EmbeddedPostgresServer;
import io.polystore.testkit.surrealdb.SurrealDbServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Restores the local platform's stores, with the services stopped: PostgreSQL from its newest base backup and WAL to
 * the newest point (or the one asked for), SurrealDB from its newest export and archived change feeds to the same
 * point as PostgreSQL ({@link #restore}); then, with Kafka running and before the services start, Kafka's consumer
 * groups rewound to that point and the CDC relay's offsets cleared ({@link #resetKafka}), so that what the stores
 * lost is delivered again and the inboxes drop what they have. The damaged data directories are
 * kept in {@code before-restore/}. Erasures are applied again by order-service at its start, from the erasure log.
 */
public final class PlatformRestore {

    /** Consumers re-read from this long before the restored point: their inboxes drop what they already applied. */
    static final Duration REDELIVERY_MARGIN = Duration.ofMinutes(1);
    private static final Duration RECOVERY_TIMEOUT = Duration.ofMinutes(10);

    private final Path dataDirectory;
    private final BackupLayout layout;
    private final int postgresPort;
    private final int surrealPort;
    private final Map<String, String> postgresSettings;
    private final Consumer<String> progress;

    /**
     * @param postgresSettings the settings PostgreSQL runs with (WAL archiving), also during recovery
     * @param progress         told each step and its duration
     */
    public PlatformRestore(Path dataDirectory, BackupLayout layout, int postgresPort, int surrealPort,
                           Map<String, String> postgresSettings, Consumer<String> progress) {
        this.dataDirectory = dataDirectory.toAbsolutePath().normalize();
        this.layout = layout;
        this.postgresPort = postgresPort;
        this.surrealPort = surrealPort;
        this.postgresSettings = Map.copyOf(postgresSettings);
        this.progress = progress;
    }

    /**
     * What the restore did.
     *
     * @param postgresPoint   the last transaction PostgreSQL replayed: the point the platform was restored to
     * @param surrealPoint    the last change replayed into SurrealDB (at or before {@code postgresPoint})
     * @param newestArchived  the newest change SurrealDB's archive held, a measure of what the restore gave up
     * @param auditTail       the audit trail's last record and checkpoint as restored
     * @param erasuresLogged  erasures in the erasure log, which order-service applies again at its start
     */
    public record Report(Instant requested, PostgresBackup.BaseBackup baseBackup, Instant postgresPoint,
                         SurrealBackup.Restored surreal, Instant surrealPoint, Instant newestArchived,
                         Map<String, Long> redelivered, int relayOffsetsCleared, String auditTail, int erasuresLogged,
                         List<String> steps) {
    }

    public Report restore(Instant target) {
        List<String> steps = new ArrayList<>();
        PostgresBackup postgresBackup = new PostgresBackup(layout);
        PostgresBackup.BaseBackup base = postgresBackup.newestFor(target).orElseThrow(() -> new IllegalStateException(
                "No PostgreSQL base backup in " + layout.postgresBaseBackups()
                        + (target == null ? "" : " finished by " + target) + ": nothing to restore from"));
        Path postgresData = dataDirectory.resolve("postgres");
        Path surrealData = dataDirectory.resolve("surrealdb");
        step(steps, "damaged data moved to " + dataDirectory.resolve("before-restore"), () -> {
            moveAside(postgresData);
            moveAside(surrealData);
            return null;
        });
        step(steps, "PostgreSQL data prepared from base backup " + base.directory().getFileName(), () -> {
            postgresBackup.prepareRestore(base, postgresData, target);
            return null;
        });
        Instant postgresPoint;
        String auditTail;
        try (EmbeddedPostgresServer postgres = step(steps, "PostgreSQL replayed the archived WAL",
                () -> EmbeddedPostgresServer.start(postgresData, postgresPort, postgresSettings, RECOVERY_TIMEOUT))) {
            String url = postgres.jdbcUrl("postgres");
            postgresPoint = step(steps, "PostgreSQL promoted", () -> postgresBackup.finishRestore(url,
                    postgres.username(), postgres.password(), RECOVERY_TIMEOUT)).orElse(base.finishedAt());
            auditTail = auditTail(postgres.jdbcUrl("audit"), postgres.username(), postgres.password());
        }
        Instant surrealTarget = target != null && target.isBefore(postgresPoint) ? target : postgresPoint;
        SurrealBackup.Restored surreal;
        Instant newestArchived;
        try (SurrealDbServer server = SurrealDbServer.start(SurrealDbServer.Options.onDisk(surrealData)
                .withPort(surrealPort))) {
            SurrealBackup backup = new SurrealBackup(layout, server.url(), PlatformBackups.SURREAL_USER,
                    PlatformBackups.SURREAL_PASSWORD, PlatformBackups.SURREAL_NAMESPACE, PlatformBackups.SURREAL_DATABASES);
            newestArchived = backup.newestArchivedChange().orElse(null);
            surreal = step(steps, "SurrealDB imported and replayed to PostgreSQL's point", () -> backup.restore(surrealTarget));
        }
        RestoreMarker.record(layout, Instant.now());
        return new Report(target, base, postgresPoint, surreal, surreal.lastChangeAt(), newestArchived, Map.of(), 0,
                auditTail, erasuresLogged(), steps);
    }

    /**
     * The last step, once Kafka runs again and before the services start: the consumer groups rewound to the
     * restored point (less {@link #REDELIVERY_MARGIN}) and the CDC relay's offsets cleared.
     *
     * @return the report with what was done to Kafka
     */
    public Report resetKafka(Report report, String bootstrapServers) {
        List<String> steps = new ArrayList<>(report.steps());
        KafkaPositions positions = new KafkaPositions(bootstrapServers);
        Instant from = report.postgresPoint().minus(REDELIVERY_MARGIN);
        Map<String, Long> redelivered = step(steps, "Kafka consumer groups rewound to " + from,
                () -> positions.rewindConsumerGroups(from));
        int offsetsCleared = step(steps, "CDC relay offsets cleared (it relays the outbox again from a snapshot)",
                () -> positions.clearConnectorOffsets(PlatformBackups.RELAY_OFFSET_TOPIC));
        return new Report(report.requested(), report.baseBackup(), report.postgresPoint(), report.surreal(),
                report.surrealPoint(), report.newestArchived(), redelivered, offsetsCleared, report.auditTail(),
                report.erasuresLogged(), steps);
    }

    private int erasuresLogged() {
        try {
            return Files.exists(layout.erasureLog()) ? (int) Files.lines(layout.erasureLog()).filter(line -> !line.isBlank()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest record and checkpoint of the restored audit trail. */
    private static String auditTail(String url, String username, String password) {
        try (Connection connection = DriverManager.getConnection(url, username, password);
             Statement statement = connection.createStatement();
             ResultSet tail = statement.executeQuery("""
                     SELECT (SELECT count(*) FROM audit.record) AS records,
                            (SELECT max(position) FROM audit.record) AS last_position,
                            (SELECT max(occurred_at) FROM audit.record) AS last_occurred,
                            (SELECT max(position) FROM audit.checkpoint) AS checkpoint_position""")) {
            tail.next();
            return String.format("%d records up to position %s (last occurred %s); newest checkpoint covers position %s",
                    tail.getLong("records"), tail.getString("last_position"), tail.getString("last_occurred"),
                    tail.getString("checkpoint_position"));
        } catch (SQLException e) {
            return "not read: " + e.getMessage();
        }
    }

    private void moveAside(Path directory) {
        Path aside = dataDirectory.resolve("before-restore").resolve(directory.getFileName());
        try {
            PostgresBackup.deleteTree(aside);
            if (Files.exists(directory)) {
                Files.createDirectories(aside.getParent());
                Files.move(directory, aside, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot move " + directory + " aside", e);
        }
    }

    private <T> T step(List<String> steps, String what, Supplier<T> work) {
        long begin = System.nanoTime();
        T result = work.get();
        String line = String.format("%-70s %6.1f s", what, (System.nanoTime() - begin) / 1e9);
        steps.add(line);
        progress.accept(line);
        return result;
    }
}
