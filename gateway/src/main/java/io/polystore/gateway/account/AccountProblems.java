package io.polystore.gateway.account;

import io.polystore.gateway.ConditionalOnEmbeddedIssuer;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.stream.Collectors;

/** The account API's refusals as problem details; a refused registration lists every rule it broke in {@code errors}. */
@ConditionalOnEmbeddedIssuer
@RestControllerAdvice(assignableTypes = AccountResource.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class AccountProblems {

    @ExceptionHandler(AccountException.class)
    ResponseEntity<ProblemDetail> refused(AccountException refusal) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(refusal.status());
        return switch (refusal) {
            case AccountException.Invalid invalid -> response.body(ProblemDetailsExceptionHandler.badRequest(
                    invalid.errors.stream().map(error -> error.field() + ": " + error.reason())
                            .collect(Collectors.joining("; ")), invalid.errors));
            case AccountException.TooManyRegistrations tooMany -> response
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(AccountException.TooManyRegistrations.seconds(tooMany.retryAfter)))
                    .body(ProblemDetail.forStatusAndDetail(refusal.status(), refusal.getMessage()));
            default -> response.body(ProblemDetail.forStatusAndDetail(refusal.status(), refusal.getMessage()));
        };
    }
}
