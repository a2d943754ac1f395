package io.polystore.audit.storage.internal;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * After every migration, on the owner's connection: creates the application's login role if missing, sets its
 * password from configuration, grants it exactly what the service needs (read and append, run the retention
 * function) and revokes anything else, and records the retention period where only the owner can change it.
 * Identifiers and the password are quoted by PostgreSQL's {@code format(%I, %L)}, never by string concatenation.
 */
public final class AppRoleProvisioning implements Callback {

    private final String role;
    private final String password;
    private final Duration retentionPeriod;

    public AppRoleProvisioning(String role, String password, Duration retentionPeriod) {
        this.role = role;
        this.password = password;
        this.retentionPeriod = retentionPeriod;
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.AFTER_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        Connection connection = context.getConnection();
        try {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                query.setString(1, role);
                try (ResultSet result = query.executeQuery()) {
                    exists = result.next();
                }
            }
            execute(connection, exists
                    ? "SELECT format('ALTER ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', ?, ?)"
                    : "SELECT format('CREATE ROLE %I WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS PASSWORD %L', ?, ?)",
                    role, password);
            execute(connection, "SELECT format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), ?)", role);
            execute(connection, "SELECT format('GRANT USAGE ON SCHEMA audit TO %I', ?)", role);
            execute(connection, "SELECT format('REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM %I', ?)", role);
            execute(connection, "SELECT format('GRANT SELECT, INSERT ON audit.record, audit.checkpoint TO %I', ?)", role);
            execute(connection, "SELECT format('REVOKE ALL ON ALL FUNCTIONS IN SCHEMA audit FROM %I', ?)", role);
            execute(connection, "SELECT format('GRANT EXECUTE ON FUNCTION audit.retire_expired_segments() TO %I', ?)", role);
            try (PreparedStatement policy = connection.prepareStatement("""
                    INSERT INTO audit.retention_policy (id, period) VALUES (true, make_interval(secs => ?))
                    ON CONFLICT (id) DO UPDATE SET period = excluded.period""")) {
                policy.setDouble(1, retentionPeriod.toMillis() / 1000.0);
                policy.executeUpdate();
            }
        } catch (SQLException e) {
            throw new FlywayException("Cannot provision the application role " + role + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "audit application role";
    }

    /** Lets PostgreSQL build the statement with its own quoting, then runs it. */
    private static void execute(Connection connection, String formatQuery, String... arguments) throws SQLException {
        String statement;
        try (PreparedStatement format = connection.prepareStatement(formatQuery)) {
            for (int i = 0; i < arguments.length; i++) {
                format.setString(i + 1, arguments[i]);
            }
            try (ResultSet result = format.executeQuery()) {
                result.next();
                statement = result.getString(1);
            }
        }
        try (Statement run = connection.createStatement()) {
            run.execute(statement);
        }
    }
}
