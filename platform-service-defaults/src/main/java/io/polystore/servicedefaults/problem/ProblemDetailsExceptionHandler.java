package io.polystore.servicedefaults.problem;

import io.polystore.servicedefaults.web.RequestBodyTooLargeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import java.math.BigDecimal;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The one place that turns errors into RFC 9457 problem details, for every service. Bad input names each field and
 * its reason in an {@code errors} list of {@code {field, reason}}: Bean Validation, unreadable or unknown JSON,
 * parameters of the wrong type or missing, and {@link InvalidInputException}. A body over the size limit is 413.
 * Services contribute only facts, as {@link ProblemMappings} beans (their exceptions and the status each answers).
 * A database that cannot be reached for a moment (a fail-over) is 503 with {@code Retry-After}
 * ({@link DatabaseUnavailability}). Anything else is 500 and says nothing about internals.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemDetailsExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsExceptionHandler.class);

    private final List<ProblemMappings> mappings;

    public ProblemDetailsExceptionHandler(ObjectProvider<ProblemMappings> mappings) {
        this.mappings = mappings.orderedStream().toList();
    }

    private static ProblemDetail badRequest(List<FieldProblem> errors) {
        return badRequest(InvalidInputException.describe(errors), errors);
    }

    private static ProblemDetail badRequest(String detail, List<FieldProblem> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setProperty("errors", errors);
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        List<FieldProblem> errors = ex.getBindingResult().getAllErrors().stream()
                .map(error -> new FieldProblem(error instanceof FieldError field ? field.getField() : error.getObjectName(),
                        error.getDefaultMessage()))
                .toList();
        return handleExceptionInternal(ex, badRequest(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException ex,
                                                                            HttpHeaders headers, HttpStatusCode status,
                                                                            WebRequest request) {
        List<FieldProblem> errors = ex.getParameterValidationResults().stream()
                .flatMap(result -> result.getResolvableErrors().stream().map(error -> new FieldProblem(
                        result.getMethodParameter().getParameterName(), error.getDefaultMessage())))
                .toList();
        return handleExceptionInternal(ex, badRequest(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        Optional<RequestBodyTooLargeException> tooLarge = cause(ex, RequestBodyTooLargeException.class);
        if (tooLarge.isPresent()) {
            return tooLarge(tooLarge.get());
        }
        ProblemDetail problem = ex.getCause() instanceof JacksonException jackson
                ? unreadableJson(jackson)
                : badRequest("The request body is missing or unreadable.", List.of());
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A query parameter or path variable of the wrong type, e.g. {@code status=SHIPPED}: named like a body field. */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String name = ex.getPropertyName() == null ? "parameter" : ex.getPropertyName();
        List<FieldProblem> errors = List.of(new FieldProblem(name, "must be " + expected(ex.getRequiredType())));
        return handleExceptionInternal(ex, badRequest(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException ex,
                                                                          HttpHeaders headers, HttpStatusCode status,
                                                                          WebRequest request) {
        List<FieldProblem> errors = List.of(new FieldProblem(ex.getParameterName(), "is required"));
        return handleExceptionInternal(ex, badRequest(errors), headers, HttpStatus.BAD_REQUEST, request);
    }

    @ExceptionHandler(InvalidInputException.class)
    ProblemDetail invalidInput(InvalidInputException ex) {
        return badRequest(ex.problems());
    }

    @ExceptionHandler(AccessDeniedException.class)
    ProblemDetail accessDenied(AccessDeniedException ex) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "The token does not grant access to this resource.");
    }

    /** The services' mapped exceptions, a body that grew too large while read, and anything unexpected. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<?> other(Exception ex) {
        Optional<RequestBodyTooLargeException> tooLarge = cause(ex, RequestBodyTooLargeException.class);
        if (tooLarge.isPresent()) {
            return tooLarge(tooLarge.get());
        }
        Optional<SQLException> databaseUnreachable = DatabaseUnavailability.in(ex);
        if (databaseUnreachable.isPresent()) {
            log.warn("Answering 503, the database is unreachable: {} ({})", ex.toString(), databaseUnreachable.get().toString());
            long seconds = DatabaseUnavailability.RETRY_AFTER.toSeconds();
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "The database cannot be reached"
                            + " for a moment. Send the same request again after " + seconds + " s (with the same"
                            + " Idempotency-Key, where the operation takes one)."));
        }
        for (Throwable failure = ex; failure != null; failure = failure.getCause()) {
            Optional<ProblemDetail> mapped = mapped(failure);
            if (mapped.isPresent()) {
                ProblemDetail problem = mapped.get();
                if (problem.getStatus() >= 500) {
                    log.warn("Answering {}: {}", problem.getStatus(), ex.toString());
                }
                return ResponseEntity.status(problem.getStatus()).body(problem);
            }
        }
        log.error("Unhandled error", ex);
        return ResponseEntity.internalServerError()
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR, "An unexpected error occurred."));
    }

    private Optional<ProblemDetail> mapped(Throwable failure) {
        return mappings.stream().flatMap(facts -> facts.problemFor(failure).stream()).findFirst();
    }

    /** The client may still be sending the rest of the body: the connection is not reused. */
    private static ResponseEntity<Object> tooLarge(RequestBodyTooLargeException tooLarge) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).header(HttpHeaders.CONNECTION, "close")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage()));
    }

    private static ProblemDetail unreadableJson(JacksonException jackson) {
        String field = jackson.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        if (jackson instanceof StreamReadException unreadable) {
            // Not JSON (a syntax error, invalid UTF-8, a duplicate key): named where the parser stopped, if anywhere.
            if (field.isEmpty() && unreadable.processor() != null) {
                field = field(unreadable.processor().streamReadContext());
            }
            return badRequest("Malformed JSON: " + jackson.getOriginalMessage(), field.isEmpty() ? List.of()
                    : List.of(new FieldProblem(field, jackson.getOriginalMessage())));
        }
        if (field.isEmpty()) {
            return badRequest("Malformed JSON: " + jackson.getOriginalMessage(), List.of());
        }
        String reason = jackson instanceof UnrecognizedPropertyException ? "unknown field"
                : jackson instanceof MismatchedInputException mismatch && numeric(mismatch.getTargetType())
                ? "must be " + expected(mismatch.getTargetType())
                : jackson.getOriginalMessage();
        return badRequest(List.of(new FieldProblem(field, reason)));
    }

    /** {@code lines[0].productId} for the parser's position, empty at the top level. */
    private static String field(TokenStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                if (at.getCurrentIndex() >= 0) {
                    parts.push("[" + at.getCurrentIndex() + "]");
                }
            } else if (at.currentName() != null) {
                parts.push("." + at.currentName());
            }
        }
        String field = String.join("", parts);
        return field.startsWith(".") ? field.substring(1) : field;
    }

    private static boolean numeric(Class<?> type) {
        return type != null && (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class
                && type != char.class && type != void.class));
    }

    private static String expected(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (type == Instant.class) {
            return "an ISO-8601 instant such as 2026-01-31T12:00:00Z";
        }
        if (type == UUID.class) {
            return "a UUID";
        }
        if (List.of(Long.class, long.class, Integer.class, int.class, Short.class, short.class).contains(type)) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == BigDecimal.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }
}
