package io.polystore.servicedefaults.problem;

import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Recognises a request that failed because the service's database could not be reached for a moment (a PostgreSQL
 * fail-over, a restart): its connection broke (or the pool closed it as broken), none could be had, or the server is
 * shutting down or read-only (a standby not yet promoted). Such a request is answered 503 with {@code Retry-After}, not 500: sent again (with its
 * {@code Idempotency-Key}, where it writes), it succeeds once the new primary takes writes.
 */
final class DatabaseUnavailability {

    /** The fail-over watch promotes the standby within some 5 s of the primary's last answer (HighAvailabilityIT). */
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    /** admin_shutdown, crash_shutdown, cannot_connect_now, read_only_sql_transaction. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "25006");
    /** SQL state class 08: connection exception. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final String POOL_CLOSED_CONNECTION = "Connection is closed";

    private DatabaseUnavailability() {
    }

    /** The failure's cause that says the database is unreachable, if one does. */
    static Optional<SQLException> in(Throwable failure) {
        boolean explained = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && unreachable(sql)) {
                return Optional.of(sql);
            }
            // A rollback on a broken connection fails too, with Hikari's stateless "Connection is closed": what broke
            // is the statement's failure, which the rollback's exception carries beside its cause.
            if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null) {
                Optional<SQLException> first = in(rollback.getApplicationException());
                if (first.isPresent()) {
                    return first;
                }
                explained = true;
            }
        }
        if (explained) {
            return Optional.empty();
        }
        // A commit that failed as the server went away is rolled back, and that rollback's "Connection is closed"
        // replaces the commit's failure altogether ("Commit exception overridden by rollback exception").
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && closedByThePool(sql)) {
                return Optional.of(sql);
            }
        }
        return Optional.empty();
    }

    /** Hikari's answer on a connection it closed because the connection broke. */
    private static boolean closedByThePool(SQLException failure) {
        return failure.getSQLState() == null && POOL_CLOSED_CONNECTION.equals(failure.getMessage());
    }

    private static boolean unreachable(SQLException failure) {
        String state = failure.getSQLState();
        return failure instanceof SQLTransientConnectionException || failure instanceof SQLNonTransientConnectionException
                || failure instanceof SQLRecoverableException
                || state != null && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || UNAVAILABLE_STATES.contains(state));
    }
}
