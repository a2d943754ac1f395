package io.polystore.testkit.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * PostgreSQL 17 as a primary and a hot standby, both from zonky's binaries, for the local platform's high
 * availability: the standby streams the primary's WAL through a physical slot, replication is synchronous (a commit
 * returns once the standby has it, so a fail-over loses no committed transaction), and the standby keeps the primary's
 * logical fail-over slots in step ({@code sync_replication_slots}; the primary's logical decoding waits for it,
 * {@code synchronized_standby_slots}), so change-data capture goes on from the promoted standby. Clients reach
 * whichever is the primary through a multi-host JDBC URL ({@link #jdbcUrl}, {@code targetServerType=primary}).
 * <p>
 * {@link #failOver()} promotes the standby ({@code pg_promote()}) after fencing the old primary, whose data is then
 * superseded; {@link #reseedStandby()} makes it a standby of the new primary from a base backup. {@link PostgresFailover}
 * does both when the primary stops answering. A base backup is a copy of the primary's data directory between
 * {@code pg_backup_start} and {@code pg_backup_stop} (zonky's binaries have no {@code pg_basebackup}).
 */
public final class ReplicatedPostgres implements PostgresServer {

    /** The standby's physical slot on the primary, and its name among the primary's synchronous standbys. */
    public static final String STANDBY_SLOT = "polystore_standby";

    private static final Logger log = LoggerFactory.getLogger(ReplicatedPostgres.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(120);
    private static final Duration STREAMING_WAIT = Duration.ofSeconds(60);
    /** Left out of a base backup, as pg_basebackup leaves them out; zonky's lock file too. */
    private static final Set<String> LEFT_OUT = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify", "pg_serial",
            "pg_snapshots", "pg_stat_tmp", "pg_subtrans", "postmaster.pid", "postmaster.opts", "epg-lock",
            "standby.signal", "recovery.signal", "backup_label", "tablespace_map");
    /** Settings the primary sets for its standby (ALTER SYSTEM), which a base backup must not take over. */
    private static final List<String> REPLICATION_SETTINGS = List.of("primary_conninfo", "primary_slot_name",
            "synchronous_standby_names", "synchronized_standby_slots");

    private final Node first;
    private final Node second;
    private final Map<String, String> settings;
    private volatile Node primary;

    /** One of the two servers: where its data lives, its port, and the server while it runs. */
    private static final class Node {
        final Path directory;
        final int port;
        volatile EmbeddedPostgresServer server;

        Node(Path directory, int port) {
            this.directory = directory;
            this.port = port;
        }

        boolean isStandby() {
            return Files.exists(directory.resolve("standby.signal"));
        }

        boolean hasData() {
            return Files.exists(directory.resolve("PG_VERSION"));
        }

        @Override
        public String toString() {
            return "PostgreSQL on port " + port + " (" + directory.getFileName() + ")";
        }
    }

    private ReplicatedPostgres(Node first, Node second, Map<String, String> settings) {
        this.first = first;
        this.second = second;
        this.settings = settings;
    }

    /**
     * Starts the primary, then the standby, seeding it from the primary when it has no data yet (the first start, or
     * after a fail-over superseded it); returns once the standby streams. Which directory holds the primary is
     * found from the data: the one without {@code standby.signal}, the first when neither has data.
     *
     * @param settings further server settings for both, as for {@link EmbeddedPostgresServer#start}
     * @throws IllegalStateException when both directories hold a primary
     */
    public static ReplicatedPostgres start(Path firstDirectory, int firstPort, Path secondDirectory, int secondPort,
                                           Map<String, String> settings) {
        Map<String, String> all = new LinkedHashMap<>(settings);
        // Read-only queries on the standby; its oldest snapshot and the fail-over slots held on the primary.
        all.put("hot_standby", "on");
        all.put("hot_standby_feedback", "on");
        all.put("sync_replication_slots", "on");
        ReplicatedPostgres pair = new ReplicatedPostgres(new Node(firstDirectory, firstPort),
                new Node(secondDirectory, secondPort), Map.copyOf(all));
        pair.primary = pair.findPrimary();
        try {
            pair.primary.server = EmbeddedPostgresServer.start(pair.primary.directory, pair.primary.port, pair.settings, STARTUP_WAIT);
            pair.startStandby();
            return pair;
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
    }

    private Node findPrimary() {
        boolean firstPrimary = first.hasData() && !first.isStandby();
        boolean secondPrimary = second.hasData() && !second.isStandby();
        if (firstPrimary && secondPrimary) {
            throw new IllegalStateException("Both " + first.directory + " and " + second.directory + " hold a PostgreSQL"
                    + " primary; remove the one that is out of date");
        }
        return secondPrimary ? second : first;
    }

    private Node standbyNode() {
        return primary == first ? second : first;
    }

    /** For example {@code localhost:15432,localhost:15433}: both servers, for clients that pick the primary. */
    public String hosts() {
        return host() + ":" + first.port + "," + host() + ":" + second.port;
    }

    /** A URL that connects to whichever server is the primary, finding the new one within seconds of a fail-over. */
    @Override
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hosts() + "/" + database + "?targetServerType=primary&hostRecheckSeconds=2";
    }

    @Override
    public String host() {
        return "localhost";
    }

    /** The primary's port. */
    @Override
    public int port() {
        return primary.port;
    }

    public int standbyPort() {
        return standbyNode().port;
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    /** The primary's data directory. */
    public Path primaryDirectory() {
        return primary.directory;
    }

    /** Whether the primary takes a connection within {@code timeout}. */
    public boolean primaryAnswers(Duration timeout) {
        return answers(primary, timeout);
    }

    /** Whether the standby runs and streams from the primary. */
    public boolean standbyStreams() {
        try (Connection connection = connect(primary, Duration.ofSeconds(2));
             var statement = connection.prepareStatement(
                     "SELECT 1 FROM pg_stat_replication WHERE application_name = ? AND state = 'streaming'")) {
            statement.setString(1, STANDBY_SLOT);
            return statement.executeQuery().next();
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Whether the standby holds a usable copy of every logical fail-over slot of the primary, so that change-data
     * capture can go on from it once promoted. A new slot's copy is usable only once the primary's slot has moved past
     * where the copy began (the standby polls the primary's slots), i.e. once its reader confirmed something: a
     * fail-over before that leaves the reader no slot position to go on from.
     */
    public boolean standbyHoldsTheFailoverSlots() {
        try (Connection onPrimary = connect(primary, Duration.ofSeconds(2));
             Connection onStandby = connect(standbyNode(), Duration.ofSeconds(2));
             var primarySlots = onPrimary.prepareStatement(
                     "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'logical' AND failover");
             var standbySlots = onStandby.prepareStatement("SELECT slot_name FROM pg_replication_slots"
                     + " WHERE synced AND NOT temporary AND confirmed_flush_lsn IS NOT NULL")) {
            Set<String> wanted = new HashSet<>();
            ResultSet rows = primarySlots.executeQuery();
            while (rows.next()) {
                wanted.add(rows.getString(1));
            }
            rows = standbySlots.executeQuery();
            while (rows.next()) {
                wanted.remove(rows.getString(1));
            }
            return wanted.isEmpty();
        } catch (SQLException e) {
            return false;
        }
    }

    /** SIGKILL to the primary's postmaster, as in a crash of its machine; its backends end with it. */
    public void killPrimary() {
        kill(primary);
    }

    /**
     * Makes the standby the primary: kills the old primary should it still run (so that two never take writes),
     * promotes the standby and waits until it takes writes, then stops waiting for a standby until one is seeded
     * again. The old primary's data is superseded and deleted.
     *
     * @throws IllegalStateException when the standby cannot be promoted
     */
    public synchronized void failOver() {
        Node old = primary;
        Node promoted = standbyNode();
        kill(old);
        try (Connection connection = connect(promoted, Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_promote(true, 60)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot promote " + promoted + ": " + e.getMessage(), e);
        }
        primary = promoted;
        // It had the old primary's replication settings from its base backup.
        replicateSynchronously(false);
        closeQuietly(old);
        deleteTree(old.directory);
        log.info("{} promoted to primary; {} superseded", promoted, old);
    }

    /**
     * Seeds the node that is not the primary from a base backup of the primary, starts it as its standby and makes
     * replication synchronous again once it streams. Does nothing while a standby runs.
     */
    public synchronized void reseedStandby() {
        Node standby = standbyNode();
        if (standby.server != null) {
            return;
        }
        startStandby();
    }

    /**
     * Replaces a standby that stopped streaming: replication becomes asynchronous at once (commits no longer wait for
     * it), the standby is stopped and started again, or seeded afresh the next time if that fails.
     */
    public synchronized void replaceStandby() {
        Node standby = standbyNode();
        replicateSynchronously(false);
        kill(standby);
        closeQuietly(standby);
        try {
            startStandby();
        } catch (RuntimeException e) {
            closeQuietly(standby);
            deleteTree(standby.directory);
            throw e;
        }
    }

    private void startStandby() {
        Node standby = standbyNode();
        if (!standby.hasData()) {
            seed(standby);
        } else {
            // The primary may listen on another port than when the standby last ran.
            try {
                writeStandbySettings(standby);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot point the standby in " + standby.directory + " at " + primary, e);
            }
        }
        standby.server = EmbeddedPostgresServer.start(standby.directory, standby.port, settings, STARTUP_WAIT);
        awaitStreaming();
        replicateSynchronously(true);
        log.info("{} streams from {}, synchronously", standby, primary);
    }

    /**
     * Whether the primary's commits wait for the standby ({@code synchronous_standby_names}) and its logical decoding
     * does ({@code synchronized_standby_slots}), or neither does.
     */
    private void replicateSynchronously(boolean synchronously) {
        try (Connection connection = connect(primary, Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            for (String setting : List.of("synchronous_standby_names", "synchronized_standby_slots")) {
                statement.execute(synchronously ? "ALTER SYSTEM SET " + setting + " = '" + STANDBY_SLOT + "'"
                        : "ALTER SYSTEM RESET " + setting);
            }
            statement.execute("SELECT pg_reload_conf()");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot change the replication settings of " + primary + ": " + e.getMessage(), e);
        }
    }

    private void seed(Node standby) {
        deleteTree(standby.directory);
        try (Connection connection = connect(primary, Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            try (ResultSet slot = statement.executeQuery("SELECT 1 FROM pg_replication_slots WHERE slot_name = '"
                    + STANDBY_SLOT + "'")) {
                if (!slot.next()) {
                    // Reserves the WAL from now on, so that the standby finds every segment since the backup began.
                    statement.execute("SELECT pg_create_physical_replication_slot('" + STANDBY_SLOT + "', true)");
                }
            }
            statement.execute("SELECT pg_backup_start('polystore standby', true)");
            copyTree(primary.directory, standby.directory);
            try (ResultSet stop = statement.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
                stop.next();
                Files.writeString(standby.directory.resolve("backup_label"), stop.getString("labelfile"));
                String tablespaces = stop.getString("spcmapfile");
                if (tablespaces != null && !tablespaces.isEmpty()) {
                    Files.writeString(standby.directory.resolve("tablespace_map"), tablespaces);
                }
            }
            for (String empty : List.of("pg_wal/archive_status", "pg_wal/summaries", "pg_replslot", "pg_dynshmem",
                    "pg_notify", "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans")) {
                Files.createDirectories(standby.directory.resolve(empty));
            }
            writeStandbySettings(standby);
            Files.createFile(standby.directory.resolve("standby.signal"));
            // PostgreSQL refuses a data directory that others may read.
            Files.setPosixFilePermissions(standby.directory, PosixFilePermissions.fromString("rwx------"));
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot take a base backup of " + primary + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot seed the standby in " + standby.directory, e);
        }
    }

    /** The copied postgresql.auto.conf, without the primary's replication settings, plus where to stream from. */
    private void writeStandbySettings(Node standby) throws IOException {
        Path file = standby.directory.resolve("postgresql.auto.conf");
        List<String> lines = new ArrayList<>(Files.exists(file) ? Files.readAllLines(file) : List.of());
        lines.removeIf(line -> REPLICATION_SETTINGS.stream().anyMatch(setting -> line.strip().startsWith(setting)));
        // dbname: the standby's slot synchronisation reads the primary's logical slots through it.
        lines.add("primary_conninfo = 'host=" + host() + " port=" + primary.port + " user=" + username() + " password="
                + password() + " dbname=postgres application_name=" + STANDBY_SLOT + "'");
        lines.add("primary_slot_name = '" + STANDBY_SLOT + "'");
        Files.write(file, lines);
    }

    private void awaitStreaming() {
        long deadline = System.nanoTime() + STREAMING_WAIT.toNanos();
        while (!standbyStreams()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(standbyNode() + " does not stream from " + primary + " after "
                        + STREAMING_WAIT.toSeconds() + " s; see its log");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the standby", e);
            }
        }
    }

    /** Stops the standby, then the primary. */
    @Override
    public void close() {
        closeQuietly(standbyNode());
        closeQuietly(primary);
    }

    private boolean answers(Node node, Duration timeout) {
        try (Connection connection = connect(node, timeout)) {
            return connection.isValid((int) Math.max(1, timeout.toSeconds()));
        } catch (SQLException e) {
            return false;
        }
    }

    private Connection connect(Node node, Duration timeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", username());
        properties.setProperty("password", password());
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds()) + 60));
        return DriverManager.getConnection("jdbc:postgresql://" + host() + ":" + node.port + "/postgres", properties);
    }

    private static void kill(Node node) {
        Path pidFile = node.directory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (!lines.isEmpty()) {
                ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).ifPresent(postmaster -> {
                    postmaster.destroyForcibly();
                    postmaster.onExit().join();
                });
            }
        } catch (NoSuchFileException notRunning) {
            // Nothing to kill.
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read the postmaster's pid in " + pidFile + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Node node) {
        EmbeddedPostgresServer server = node.server;
        node.server = null;
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                log.debug("Stopping {} failed, as it does once killed: {}", node, e.getMessage());
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        List<Path> entries;
        try (Stream<Path> listed = Files.list(from)) {
            entries = listed.filter(entry -> !LEFT_OUT.contains(entry.getFileName().toString())).toList();
        }
        for (Path entry : entries) {
            Path target = to.resolve(entry.getFileName().toString());
            for (Path path : tree(entry)) {
                Path copy = target.resolve(entry.relativize(path).toString());
                try {
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(copy);
                    } else {
                        Files.copy(path, copy);
                    }
                } catch (NoSuchFileException removedMeanwhile) {
                    // The running server dropped it; the WAL replayed from the backup's start says so too.
                }
            }
        }
    }

    /** The paths under {@code root}, parents first; those the running server removes while they are listed are left out. */
    private static List<Path> tree(Path root) throws IOException {
        List<Path> paths = new ArrayList<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                paths.add(directory);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                paths.add(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        return paths;
    }

    private static void deleteTree(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + directory, e);
        }
    }
}
