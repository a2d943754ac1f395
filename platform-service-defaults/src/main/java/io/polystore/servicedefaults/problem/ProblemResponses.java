package io.polystore.servicedefaults.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes RFC 9457 problem details straight to the servlet response, for refusals made before any controller runs
 * (security, request size, rate limits, the firewall), in the same shape as {@link ProblemDetailsExceptionHandler}'s.
 */
public final class ProblemResponses {

    private final JsonMapper jsonMapper;

    public ProblemResponses(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    /** The problem, with the request's path as its {@code instance}. */
    public void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        write(response, status, detail, request.getRequestURI());
    }

    /** A 400 naming the offending input and its reason, as {@link InvalidInputException} answers in a controller. */
    public void writeInvalid(HttpServletRequest request, HttpServletResponse response, String field, String reason)
            throws IOException {
        List<FieldProblem> errors = List.of(new FieldProblem(field, reason));
        write(response, HttpStatus.BAD_REQUEST, InvalidInputException.describe(errors), request.getRequestURI(),
                Map.of("errors", errors));
    }

    /** The problem; no {@code instance} when it is null, e.g. for a path that must not be echoed. */
    public void write(HttpServletResponse response, HttpStatus status, String detail, String instance) throws IOException {
        write(response, status, detail, instance, Map.of());
    }

    private void write(HttpServletResponse response, HttpStatus status, String detail, String instance,
                       Map<String, Object> properties) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        problem.putAll(properties);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        jsonMapper.writeValue(response.getOutputStream(), problem);
    }
}
