package io.polystore.testkit.postgres;

import io.polystore.testkit.tls.LocalCertificates;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** PostgreSQL 17 from zonky's Maven-packaged binaries: the real server, no Docker needed. */
public final class EmbeddedPostgresServer implements PostgresServer {

    /** With TLS, connections over TCP must use it: plain ones are refused ({@code hostssl} lines only). */
    private static final List<String> TLS_ONLY_HBA = List.of(
            "local all all trust",
            "hostssl all all 127.0.0.1/32 trust",
            "hostssl all all ::1/128 trust",
            "hostssl replication all 127.0.0.1/32 trust",
            "hostssl replication all ::1/128 trust");

    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final LocalCertificates tls;
    private final Path hbaFile;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, LocalCertificates tls, Path hbaFile) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.tls = tls;
        this.hbaFile = hbaFile;
    }

    /** A throw-away server on a free port, for tests. */
    public static EmbeddedPostgresServer start() {
        return start(null, 0);
    }

    /**
     * @param dataDirectory where the cluster lives and survives restarts, or {@code null} for a temporary one
     * @param port          the port to listen on, or 0 for a free one
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return start(dataDirectory, port, Map.of(), STARTUP_WAIT, null);
    }

    /**
     * Like {@link #start(Path, int)}, and with {@code tls} not null, TLS only: the server presents the host
     * certificate, and refuses connections over TCP without TLS.
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, LocalCertificates tls) {
        return start(dataDirectory, port, Map.of(), STARTUP_WAIT, tls);
    }

    /**
     * @param settings      further server settings, e.g. WAL archiving
     * @param startupWait   how long to wait for the server to take connections (a restore first replays WAL)
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Map<String, String> settings,
                                               Duration startupWait) {
        return start(dataDirectory, port, settings, startupWait, null);
    }

    /** The above together: further settings, the wait, and TLS only when {@code tls} is not null. */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Map<String, String> settings,
                                               Duration startupWait, LocalCertificates tls) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // CDC reads the WAL through a logical replication slot.
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "10")
                .setServerConfig("max_wal_senders", "10")
                // zonky defaults to fsync=off and synchronous_commit=off; durability and prompt WAL flushes
                // (CDC latency drops from ~580 ms to ~13 ms median) both need these on.
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200")
                .setPGStartupWait(startupWait);
        settings.forEach(builder::setServerConfig);
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDirectory != null) {
            builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
        }
        Path hbaFile = null;
        try {
            if (tls != null) {
                hbaFile = Files.createTempFile("polystore-pg_hba-", ".conf");
                Files.write(hbaFile, TLS_ONLY_HBA);
                builder.setServerConfig("ssl", "on")
                        .setServerConfig("ssl_cert_file", tls.certificate().toString())
                        .setServerConfig("ssl_key_file", tls.privateKey().toString())
                        .setServerConfig("hba_file", hbaFile.toString());
            }
            return new EmbeddedPostgresServer(builder.start(), dataDirectory, tls, hbaFile);
        } catch (IOException e) {
            deleteQuietly(hbaFile);
            String where = port > 0 ? "port " + port : "a free port";
            throw new UncheckedIOException("Cannot start embedded PostgreSQL on " + where
                    + (dataDirectory == null ? "" : " with data in " + dataDirectory) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return postgres.getPort();
    }

    /** With TLS, the URL verifies the server's certificate and host name against the local CA. */
    @Override
    public String jdbcUrl(String database) {
        String url = PostgresServer.super.jdbcUrl(database);
        return tls == null ? url : url + "?" + tls.jdbcParameters();
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    /**
     * SIGKILL to the postmaster and every backend at once, as in a crash: nothing is flushed or shut down. A start on
     * the same data directory recovers from the WAL. Only for a server started with a data directory (the
     * postmaster's pid is in it).
     */
    public void kill() {
        if (dataDirectory == null) {
            throw new IllegalStateException("Only a server with its own data directory can be killed and started again");
        }
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (!lines.isEmpty()) {
                ProcessHandle.of(Long.parseLong(lines.getFirst().strip())).ifPresent(postmaster -> {
                    // The backends too: left running, they would keep the old shared memory and refuse the next start.
                    List<ProcessHandle> backends = postmaster.descendants().toList();
                    postmaster.destroyForcibly();
                    backends.forEach(ProcessHandle::destroyForcibly);
                    postmaster.onExit().join();
                    backends.forEach(backend -> backend.onExit().join());
                });
            }
        } catch (NoSuchFileException notRunning) {
            // Nothing to kill.
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("Cannot read the postmaster's pid in " + pidFile + ": " + e.getMessage(), e);
        }
        // Releases zonky's lock on the data directory, which the next start in this JVM takes; its pg_ctl stop fails.
        close();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(hbaFile);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // A temporary file: the system cleans it up later.
        }
    }
}
