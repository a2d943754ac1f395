package io.polystore.audit.storage;

import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditTrail;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@AuditServiceTest
class AppendOnlyStorageIT {

    private static final String PERMISSION_DENIED = "42501";
    private static final String REFUSED_BY_TRIGGER = "23001";

    @Autowired
    AuditTrail trail;

    @Autowired
    Flyway flyway;

    @BeforeEach
    void someRecordsAndACheckpoint() {
        trail.append(List.of(AuditDatabase.entry("alice", "alice", AuditAction.ACCESS_ALLOW, Instant.now())));
        trail.checkpoint();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE audit.record SET action = 'ACCESS_DENY'",
            "DELETE FROM audit.record",
            "TRUNCATE audit.record",
            "UPDATE audit.checkpoint SET key_id = 'forged'",
            "DELETE FROM audit.checkpoint",
            "TRUNCATE audit.checkpoint",
            "SELECT * FROM audit.retention_policy",
            "UPDATE audit.retention_policy SET period = interval '1 second'"})
    void theApplicationRoleMayNotChangeOrRemoveAnything(String sql) throws SQLException {
        long records = count("audit.record");
        try (Connection app = AuditDatabase.asAppRole(); Statement statement = app.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED);
                        assertThat(e.getMessage()).contains("permission denied");
                    });
        }
        assertThat(count("audit.record")).isEqualTo(records);
    }

    @Test
    void theApplicationRoleCannotBorrowTheRetentionFlagToDelete() throws SQLException {
        try (Connection app = AuditDatabase.asAppRole(); Statement statement = app.createStatement()) {
            app.setAutoCommit(false);
            statement.execute("SELECT set_config('audit.retiring_segments', 'on', true)");
            assertThatThrownBy(() -> statement.execute("DELETE FROM audit.record"))
                    .isInstanceOfSatisfying(SQLException.class,
                            e -> assertThat(e.getSQLState()).isEqualTo(PERMISSION_DENIED));
        }
    }

    @Test
    void everyStartProvisionsTheExistingRoleAgainWithTheSameGrants() throws SQLException {
        // With no migration pending, Flyway still runs the callback: it alters the existing role and grants again.
        flyway.migrate();

        theApplicationRoleReadsAndAppends();
        try (Connection app = AuditDatabase.asAppRole(); Statement statement = app.createStatement();
             ResultSet role = statement.executeQuery(
                     "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user")) {
            assertThat(role.next()).isTrue();
            for (int column = 1; column <= 4; column++) {
                assertThat(role.getBoolean(column)).isFalse();
            }
        }
    }

    @Test
    void theApplicationRoleReadsAndAppends() throws SQLException {
        try (Connection app = AuditDatabase.asAppRole(); Statement statement = app.createStatement();
             ResultSet privileges = statement.executeQuery("""
                     SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type)
                     FROM information_schema.role_table_grants
                     WHERE grantee = 'audit_app' AND table_schema = 'audit'
                     GROUP BY table_name ORDER BY table_name""")) {
            assertThat(privileges.next()).isTrue();
            assertThat(privileges.getString(1)).isEqualTo("checkpoint");
            assertThat(privileges.getString(2)).isEqualTo("INSERT,SELECT");
            assertThat(privileges.next()).isTrue();
            assertThat(privileges.getString(1)).isEqualTo("record");
            assertThat(privileges.getString(2)).isEqualTo("INSERT,SELECT");
            assertThat(privileges.next()).isFalse();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE audit.record SET action = 'ACCESS_DENY'",
            "DELETE FROM audit.record",
            "TRUNCATE audit.record",
            "UPDATE audit.checkpoint SET key_id = 'forged'",
            "DELETE FROM audit.checkpoint",
            "TRUNCATE audit.checkpoint"})
    void theTriggerRefusesChangesEvenToTheSuperuser(String sql) throws SQLException {
        long records = count("audit.record");
        long checkpoints = count("audit.checkpoint");
        try (Connection superuser = AuditDatabase.asSuperuser(); Statement statement = superuser.createStatement()) {
            assertThatThrownBy(() -> statement.execute(sql))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).isEqualTo(REFUSED_BY_TRIGGER);
                        assertThat(e.getMessage()).contains("the audit trail is append-only");
                    });
        }
        assertThat(count("audit.record")).isEqualTo(records);
        assertThat(count("audit.checkpoint")).isEqualTo(checkpoints);
    }

    private static long count(String table) throws SQLException {
        try (Connection superuser = AuditDatabase.asSuperuser(); Statement statement = superuser.createStatement();
             ResultSet result = statement.executeQuery("SELECT count(*) FROM " + table)) {
            result.next();
            return result.getLong(1);
        }
    }
}
