package io.polystore.deployment.support;

import io.polystore.testkit.postgres.EmbeddedPostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The testkit's PostgreSQL 17 prepared as the official postgres image runs: password authentication
 * (scram-sha-256, no trust) with the deployment's superuser password, and the deployment's own init script run by
 * {@code psql} the way the image's entrypoint runs it.
 */
public final class ImagePostgres {

    private ImagePostgres() {
    }

    /**
     * @param superuser         the image's {@code POSTGRES_USER}
     * @param superuserPassword the image's {@code POSTGRES_PASSWORD}
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port, String superuser, String superuserPassword) {
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(dataDirectory, port);
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.username(), postgres.password());
             Statement statement = connection.createStatement()) {
            ResultSet hba = statement.executeQuery("SHOW hba_file");
            hba.next();
            Files.write(Path.of(hba.getString(1)), List.of(
                    "host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256",
                    "host replication all 127.0.0.1/32 scram-sha-256", "host replication all ::1/128 scram-sha-256"));
            statement.execute("ALTER ROLE " + superuser + " PASSWORD '" + superuserPassword.replace("'", "''") + "'");
            statement.execute("SELECT pg_reload_conf()");
            return postgres;
        } catch (Exception e) {
            postgres.close();
            throw new IllegalStateException("Cannot prepare PostgreSQL as the postgres image runs it", e);
        }
    }

    /**
     * Runs an init script with {@code bash}, with the container's environment and the server's address (the image
     * reaches it on its socket; here it is TCP on 127.0.0.1).
     *
     * @throws IllegalStateException with the script's output when it fails
     */
    public static void runInitScript(Path repository, Path script, Map<String, String> environment, int port, String superuserPassword) {
        HostCommand.requireInstalled("psql", "postgresql-client");
        Map<String, String> init = new LinkedHashMap<>(environment);
        init.putAll(Map.of("PGHOST", "127.0.0.1", "PGPORT", String.valueOf(port), "PGPASSWORD", superuserPassword));
        HostCommand.runOk(repository, init, Duration.ofMinutes(1), List.of("bash", script.toString()));
    }
}
