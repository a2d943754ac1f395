package io.polystore.servicedefaults.problem;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

/** What a service answers while its database fails over: 503 with Retry-After, not 500. */
class DatabaseUnavailabilityTest {

    private final ProblemDetailsExceptionHandler handler = new ProblemDetailsExceptionHandler(
            new DefaultListableBeanFactory().getBeanProvider(ProblemMappings.class));

    @Test
    void aConnectionThatBrokeMidTransactionIsA503WithRetryAfter() {
        // What order-service answered 500 with when HighAvailabilityIT killed the PostgreSQL primary: the statement
        // failed as the server went away, then the rollback found the connection closed (Hikari's, without a state).
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new DataAccessResourceFailureException("PreparedStatementCallback",
                new SQLException("FATAL: terminating connection due to unexpected postmaster exit", "57P01")));
        ResponseEntity<?> response = handler.other(rollbackFailed);

        assertThat(response.getStatusCode().value()).isEqualTo(503);
        assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(((ProblemDetail) response.getBody()).getDetail()).contains("Send the same request again after 5 s");
    }

    @Test
    void aCommitThatFailedAsTheServerWentAwayIsA503ThoughItsRollbackReplacedItsFailure() {
        // What order-service answered 500 with in HighAvailabilityIT: the primary was killed during the commit, and
        // Spring threw the rollback's failure on the connection Hikari had closed, without the commit's.
        SQLException closed = new SQLException("Connection is closed");

        assertThat(handler.other(new UncategorizedSQLException("JDBC rollback", null, closed)).getStatusCode().value())
                .isEqualTo(503);
        assertThat(handler.other(new TransactionSystemException("JDBC rollback failed", closed)).getStatusCode().value())
                .isEqualTo(503);
    }

    @Test
    void noConnectionToBeHadAndAServerShuttingDownAre503s() {
        assertThat(handler.other(new CannotCreateTransactionException("Could not open JDBC Connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available, request timed out after 5000ms.")))
                .getStatusCode().value()).isEqualTo(503);
        assertThat(handler.other(new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new SQLException("FATAL: terminating connection due to administrator command", "57P01")))
                .getStatusCode().value()).isEqualTo(503);
        assertThat(handler.other(new IllegalStateException("while writing",
                new SQLException("cannot execute INSERT in a read-only transaction", "25006")))
                .getStatusCode().value()).isEqualTo(503);
    }

    @Test
    void aRollbackThatFailedAfterAnotherKindOfErrorStaysA500() {
        TransactionSystemException rollbackFailed = new TransactionSystemException("JDBC rollback failed",
                new SQLException("Connection is closed"));
        rollbackFailed.initApplicationException(new IllegalStateException("a bug"));

        assertThat(handler.other(rollbackFailed).getStatusCode().value()).isEqualTo(500);
    }

    @Test
    void otherDatabaseErrorsStay500sThatRevealNothing() {
        ResponseEntity<?> response = handler.other(new IllegalStateException("bad statement",
                new SQLException("syntax error at or near \"SELEC\"", "42601")));

        assertThat(response.getStatusCode().value()).isEqualTo(500);
        assertThat(response.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(((ProblemDetail) response.getBody()).getDetail()).doesNotContain("SELEC");
    }
}
