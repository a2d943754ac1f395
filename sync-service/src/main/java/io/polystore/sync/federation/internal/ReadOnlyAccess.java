package io.polystore.sync.federation.internal;

import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.federation.FederationProperties;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Creates or updates the federation's read-only users at start-up, through the owners' connections: a PostgreSQL
 * role granted {@code SELECT} on {@link OrdersColumns#READABLE} only (column privileges, so order-service's
 * migrations stay free to change its tables), and a SurrealDB database user with the {@code VIEWER} role.
 */
public final class ReadOnlyAccess {

    private ReadOnlyAccess() {
    }

    /**
     * Idempotent, and serialised between replicas by a transaction-level advisory lock. Grants are replaced, so a
     * column taken off the list loses its grant.
     *
     * @param owner a connection to order-service's database as a user that may create roles and grant on its tables
     */
    public static void provisionPostgres(Connection owner, String database, FederationProperties.Postgres settings)
            throws SQLException {
        boolean autoCommit = owner.getAutoCommit();
        owner.setAutoCommit(false);
        try {
            execute(owner, "SELECT pg_advisory_xact_lock(hashtextextended('polystore.sync.federation.role', 0))");
            String role = settings.role();
            boolean exists;
            try (PreparedStatement statement = owner.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
                statement.setString(1, role);
                try (ResultSet result = statement.executeQuery()) {
                    exists = result.next();
                }
            }
            run(owner, (exists ? "ALTER" : "CREATE") + " ROLE %I LOGIN PASSWORD %L", role, settings.password());
            run(owner, "ALTER ROLE %I SET default_transaction_read_only = on", role);
            run(owner, "GRANT CONNECT ON DATABASE %I TO %I", database, role);
            run(owner, "GRANT USAGE ON SCHEMA public TO %I", role);
            run(owner, "REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I", role);
            for (Map.Entry<String, List<String>> table : OrdersColumns.READABLE.entrySet()) {
                String columns = String.join(", ", table.getValue().stream().map(column -> "%I").toList());
                Object[] arguments = new Object[table.getValue().size() + 2];
                for (int i = 0; i < table.getValue().size(); i++) {
                    arguments[i] = table.getValue().get(i);
                }
                arguments[arguments.length - 2] = table.getKey();
                arguments[arguments.length - 1] = role;
                run(owner, "GRANT SELECT (" + columns + ") ON public.%I TO %I", arguments);
            }
            owner.commit();
        } catch (SQLException | RuntimeException e) {
            owner.rollback();
            throw e;
        } finally {
            owner.setAutoCommit(autoCommit);
        }
    }

    /**
     * Defines (or redefines) the viewer on the database {@code owner} is connected to. The password is a literal:
     * SurrealQL takes no parameter there; {@link FederationProperties.Surrealdb} refuses quotes and backslashes.
     */
    public static void provisionSurrealDb(SurrealClient owner, FederationProperties.Surrealdb settings) {
        owner.query("DEFINE USER OVERWRITE " + settings.username() + " ON DATABASE PASSWORD '" + settings.password()
                + "' ROLES VIEWER").requireSuccess();
    }

    /** Runs {@code format(template, arguments)}: PostgreSQL quotes the identifiers ({@code %I}) and literals ({@code %L}). */
    private static void run(Connection connection, String template, Object... arguments) throws SQLException {
        String statement;
        try (PreparedStatement format = connection.prepareStatement("SELECT format(?, VARIADIC ?::text[])")) {
            Array values = connection.createArrayOf("text", arguments);
            format.setString(1, template);
            format.setArray(2, values);
            try (ResultSet result = format.executeQuery()) {
                result.next();
                statement = result.getString(1);
            }
        }
        execute(connection, statement);
    }

    private static void execute(Connection connection, String statement) throws SQLException {
        try (var plain = connection.createStatement()) {
            plain.execute(statement);
        }
    }
}
