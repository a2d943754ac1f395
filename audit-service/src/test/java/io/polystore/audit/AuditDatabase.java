package io.polystore.audit;

import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.postgres.PostgresServer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Direct access to the service's database for tests: as the superuser, as the application role, and test entries. */
public final class AuditDatabase {

    public static final String DATABASE = "audit";
    public static final String APP_ROLE = "audit_app";
    public static final String APP_PASSWORD = "audit-app-test";

    private AuditDatabase() {
    }

    public static Connection asSuperuser() throws SQLException {
        PostgresServer postgres = SharedServers.postgres();
        return DriverManager.getConnection(postgres.jdbcUrl(DATABASE), postgres.username(), postgres.password());
    }

    public static Connection asAppRole() throws SQLException {
        return DriverManager.getConnection(SharedServers.postgres().jdbcUrl(DATABASE), APP_ROLE, APP_PASSWORD);
    }

    /**
     * Runs statements as the superuser with the append-only triggers disabled, in one transaction: how someone
     * with full access to the database would tamper with the trail.
     */
    public static void tamper(String... statements) throws SQLException {
        try (Connection connection = asSuperuser(); Statement statement = connection.createStatement()) {
            connection.setAutoCommit(false);
            statement.execute("ALTER TABLE audit.record DISABLE TRIGGER record_append_only");
            statement.execute("ALTER TABLE audit.checkpoint DISABLE TRIGGER checkpoint_append_only");
            for (String sql : statements) {
                statement.execute(sql);
            }
            statement.execute("ALTER TABLE audit.record ENABLE TRIGGER record_append_only");
            statement.execute("ALTER TABLE audit.checkpoint ENABLE TRIGGER checkpoint_append_only");
            connection.commit();
        }
    }

    /** Empties the trail, so that a test starts a chain of its own at position 1. */
    public static void resetTrail() throws SQLException {
        tamper("DELETE FROM audit.record", "DELETE FROM audit.checkpoint");
    }

    /** An access decision by {@code actor}, unique by a fresh event id. */
    public static AuditEntry entry(String actor, String subject, AuditAction action, Instant occurredAt) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("route", "orders");
        details.put("status", 200);
        return new AuditEntry(UUID.randomUUID().toString(), "io.polystore.audit.AccessDecided", "/gateway", occurredAt,
                occurredAt, action.name(), actor, subject, "203.0.113.7", details);
    }
}
