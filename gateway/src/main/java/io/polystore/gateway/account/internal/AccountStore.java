package io.polystore.gateway.account.internal;

import io.polystore.gateway.Role;
import io.polystore.gateway.account.internal.StoredAccount.SignInFailures;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The accounts, their roles and their sign-in failures in the gateway's PostgreSQL database. */
public final class AccountStore {

    private static final String SELECT = """
            SELECT a.username, a.password_hash, a.home_region, a.created_at, a.updated_at, a.failed_sign_ins,
                   a.failures_since, a.locked_until,
                   coalesce(array_agg(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL), '{}') AS roles
            FROM account a LEFT JOIN account_role r ON r.username = a.username
            """;

    private final JdbcClient jdbc;

    public AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<StoredAccount> find(String username) {
        return jdbc.sql(SELECT + " WHERE a.username = :username GROUP BY a.username")
                .param("username", username)
                .query(AccountStore::row).optional();
    }

    /** Locks the account's row until the transaction ends; false when there is no such account. */
    public boolean lock(String username) {
        return jdbc.sql("SELECT 1 FROM account WHERE username = :username FOR UPDATE")
                .param("username", username).query(Integer.class).optional().isPresent();
    }

    /** Accounts after {@code after} in username order, those holding {@code role} only when one is given. */
    public List<StoredAccount> list(@Nullable Role role, @Nullable String after, int limit) {
        return jdbc.sql(SELECT + """
                         WHERE (CAST(:after AS text) IS NULL OR a.username > :after)
                           AND (CAST(:role AS text) IS NULL
                                OR EXISTS (SELECT 1 FROM account_role held WHERE held.username = a.username AND held.role = :role))
                         GROUP BY a.username ORDER BY a.username LIMIT :limit
                        """)
                .param("after", after)
                .param("role", role == null ? null : role.name())
                .param("limit", limit)
                .query(AccountStore::row).list();
    }

    /** Creates the account, homed in {@code homeRegion}, unless one of that name exists; true when it was created. */
    public boolean insert(String username, String passwordHash, String homeRegion, Set<Role> roles, Instant now) {
        int created = jdbc.sql("""
                        INSERT INTO account (username, password_hash, home_region, created_at, updated_at)
                        VALUES (:username, :hash, :homeRegion, :now, :now) ON CONFLICT (username) DO NOTHING
                        """)
                .param("username", username).param("hash", passwordHash).param("homeRegion", homeRegion)
                .param("now", utc(now))
                .update();
        if (created == 0) {
            return false;
        }
        roles.forEach(role -> addRole(username, role, now));
        return true;
    }

    /** True when the account did not hold the role yet. */
    public boolean addRole(String username, Role role, Instant now) {
        return changedRoles(username, now, jdbc.sql(
                        "INSERT INTO account_role (username, role) VALUES (:username, :role) ON CONFLICT DO NOTHING")
                .param("username", username).param("role", role.name()).update());
    }

    /** True when the account held the role. */
    public boolean removeRole(String username, Role role, Instant now) {
        return changedRoles(username, now, jdbc.sql("DELETE FROM account_role WHERE username = :username AND role = :role")
                .param("username", username).param("role", role.name()).update());
    }

    /** The administrators' usernames, their role rows locked until the transaction ends. */
    public List<String> lockAdministrators() {
        return jdbc.sql("SELECT username FROM account_role WHERE role = 'ADMIN' ORDER BY username FOR UPDATE")
                .query(String.class).list();
    }

    public void saveFailures(String username, SignInFailures failures) {
        jdbc.sql("""
                        UPDATE account SET failed_sign_ins = :count, failures_since = :since, locked_until = :lockedUntil
                        WHERE username = :username
                        """)
                .param("username", username).param("count", failures.count())
                .param("since", utc(failures.since())).param("lockedUntil", utc(failures.lockedUntil()))
                .update();
    }

    /** Forgets failed sign-ins and lifts any lock. */
    public void clearFailures(String username) {
        jdbc.sql("""
                        UPDATE account SET failed_sign_ins = 0, failures_since = NULL, locked_until = NULL
                        WHERE username = :username AND (failed_sign_ins > 0 OR locked_until IS NOT NULL)
                        """)
                .param("username", username).update();
    }

    /** Notes when the account changed if {@code rows} role rows did; true when they did. */
    private boolean changedRoles(String username, Instant now, int rows) {
        if (rows > 0) {
            jdbc.sql("UPDATE account SET updated_at = :now WHERE username = :username")
                    .param("username", username).param("now", utc(now)).update();
        }
        return rows > 0;
    }

    private static StoredAccount row(ResultSet rs, int row) throws SQLException {
        Set<Role> roles = Arrays.stream((String[]) rs.getArray("roles").getArray())
                .map(Role::valueOf).collect(Collectors.toUnmodifiableSet());
        return new StoredAccount(rs.getString("username"), rs.getString("password_hash"), rs.getString("home_region"),
                roles, instant(rs, "created_at"), instant(rs, "updated_at"),
                new SignInFailures(rs.getInt("failed_sign_ins"), instant(rs, "failures_since"), instant(rs, "locked_until")));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
