package io.polystore.testkit.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** PostgreSQL 17 from zonky's Maven-packaged binaries: the real server, no Docker needed. */
public final class EmbeddedPostgresServer implements PostgresServer {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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
        return start(dataDirectory, port, Map.of(), Duration.ofSeconds(60));
    }

    /**
     * @param settings      further server settings, e.g. WAL archiving
     * @param startupWait   how long to wait for the server to take connections (a restore first replays WAL)
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, Map<String, String> settings,
                                               Duration startupWait) {
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
        try {
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
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

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "postgres";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
