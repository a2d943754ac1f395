package io.polystore.catalog.internal;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import io.polystore.surrealdb.SurrealAuthenticationException;
import io.polystore.surrealdb.SurrealTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.stream.Collectors;

/** The catalog's own failures as problem details; everything else is left to the platform's handler. */
@RestControllerAdvice
class CatalogProblemHandler {

    private static final Logger log = LoggerFactory.getLogger(CatalogProblemHandler.class);

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalid(InvalidInputException e) {
        String detail = e.problems().stream().map(p -> p.field() + ": " + p.reason()).collect(Collectors.joining("; "));
        return ProblemDetailsExceptionHandler.badRequest(detail, e.problems());
    }

    /** SurrealDB did not answer (or refused the service's credentials): the request may succeed later. */
    @ExceptionHandler({SurrealTransportException.class, SurrealAuthenticationException.class})
    ProblemDetail storeUnavailable(RuntimeException e) {
        log.warn("SurrealDB unavailable: {}", e.getMessage());
        return ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The catalog's database is unavailable; try again shortly.");
    }
}
