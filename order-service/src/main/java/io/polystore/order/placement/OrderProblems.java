package io.polystore.order.placement;

import io.polystore.order.orders.OrderStateConflictException;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import java.util.List;

/** The order API's domain errors as problem details; ahead of the platform's catch-all handler. */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class OrderProblems {

    @ExceptionHandler(InvalidOrderException.class)
    ProblemDetail invalid(InvalidOrderException e) {
        return ProblemDetailsExceptionHandler.badRequest(e.getMessage(), e.problems());
    }

    @ExceptionHandler(OrderNotFoundException.class)
    ProblemDetail notFound(OrderNotFoundException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail keyReused(IdempotencyKeyReusedException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
    }

    @ExceptionHandler(OrderStateConflictException.class)
    ProblemDetail conflict(OrderStateConflictException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setProperty("orderStatus", e.status());
        return problem;
    }

    /** A query parameter or path variable of the wrong type, e.g. {@code status=SHIPPED}: named like a body field. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName();
        List<FieldProblem> problems = List.of(new FieldProblem(e.getName(), "is not a valid " + expected));
        return ProblemDetailsExceptionHandler.badRequest(e.getName() + ": is not a valid " + expected, problems);
    }
}
