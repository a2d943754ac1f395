package io.polystore.sync.reconciliation;

import io.polystore.surrealdb.SurrealException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The reconciliation API's errors as problem details; ahead of the platform's catch-all handler. */
@RestControllerAdvice(assignableTypes = ReconciliationResource.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReconciliationProblems {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationProblems.class);

    @ExceptionHandler(RunNotFoundException.class)
    ProblemDetail notFound(RunNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /** A store could not be read or written: nothing was stored, and trying again later may succeed. */
    @ExceptionHandler({DataAccessException.class, SurrealException.class})
    ProblemDetail storeUnavailable(RuntimeException e) {
        log.warn("Reconciliation failed: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "A database could not be read; the reconciliation did not run. Try again later.");
    }
}
