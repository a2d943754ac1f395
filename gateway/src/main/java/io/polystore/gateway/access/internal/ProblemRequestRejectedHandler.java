package io.polystore.gateway.access.internal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.Map;

/**
 * Answers 400 problem details for requests Spring Security's firewall refuses: paths that are not normalised
 * ({@code /api/orders/../audit}), encoded dots, slashes or percent signs, semicolons, and the like, which could
 * otherwise make a rule and a route see different paths.
 */
public final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final JsonMapper jsonMapper;

    public ProblemRequestRejectedHandler(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        response.setStatus(HttpStatus.BAD_REQUEST.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        // The path is not echoed: it is what the firewall found unsafe.
        jsonMapper.writeValue(response.getOutputStream(), Map.of(
                "type", "about:blank",
                "title", HttpStatus.BAD_REQUEST.getReasonPhrase(),
                "status", HttpStatus.BAD_REQUEST.value(),
                "detail", "The request path is not allowed: it must be normalised and free of encoded separators."));
    }
}
