package io.polystore.sync.federation;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.List;

/** The federation's errors as problem details; ahead of the platform's catch-all handler. */
@RestControllerAdvice(assignableTypes = {QueryResource.class, ReportResource.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class FederationProblems {

    private static final Logger log = LoggerFactory.getLogger(FederationProblems.class);

    @ExceptionHandler(QueryRefusedException.class)
    ProblemDetail refused(QueryRefusedException e) {
        return ProblemDetailsExceptionHandler.badRequest("The query was refused: " + e.getMessage(),
                List.of(new ProblemDetailsExceptionHandler.FieldProblem("sql", e.getMessage())));
    }

    @ExceptionHandler(InvalidReportRequestException.class)
    ProblemDetail invalidReport(InvalidReportRequestException e) {
        return ProblemDetailsExceptionHandler.badRequest(e.field() + ": " + e.getMessage(),
                List.of(new ProblemDetailsExceptionHandler.FieldProblem(e.field(), e.getMessage())));
    }

    /** The query was valid but asked too much; narrowing it helps, trying again does not. */
    @ExceptionHandler(QueryLimitException.class)
    ProblemDetail limitExceeded(QueryLimitException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
        problem.setTitle(e.limit() == QueryLimitException.Limit.ROW_CAP ? "Row cap exceeded" : "Time limit exceeded");
        problem.setProperty("limit", e.limit().name());
        return problem;
    }

    @ExceptionHandler(FederationUnavailableException.class)
    ProblemDetail unavailable(FederationUnavailableException e) {
        log.warn("Federated query failed: {}", e.getMessage(), e.getCause());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "A store could not be read; nothing was changed. Try again later.");
    }
}
