package io.polystore.audit.query;

import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.List;

/** Bad query parameters of the audit API as 400 problem details that name the parameter and the reason. */
@RestControllerAdvice
class AuditQueryAdvice {

    @ExceptionHandler(InvalidQueryException.class)
    ProblemDetail invalidQuery(InvalidQueryException e) {
        return badParameter(e.parameter(), e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        Class<?> type = e.getRequiredType();
        String expected = type == null ? "of another type" : switch (type.getSimpleName()) {
            case "Instant" -> "an ISO-8601 instant such as 2026-01-31T12:00:00Z";
            case "Long", "long", "Integer", "int" -> "a whole number";
            default -> "a " + type.getSimpleName();
        };
        return badParameter(e.getName(), "must be " + expected);
    }

    private static ProblemDetail badParameter(String parameter, String reason) {
        return ProblemDetailsExceptionHandler.badRequest(parameter + ": " + reason,
                List.of(new FieldProblem(parameter, reason)));
    }
}
