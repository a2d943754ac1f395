package io.polystore.gateway.access.internal;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import java.io.IOException;

/**
 * Answers 400 problem details for requests Spring Security's firewall refuses: paths that are not normalised
 * ({@code /api/orders/../audit}), encoded dots, slashes or percent signs, semicolons, and the like, which could
 * otherwise make a rule and a route see different paths.
 */
public final class ProblemRequestRejectedHandler implements RequestRejectedHandler {

    private final ProblemResponses problems;

    public ProblemRequestRejectedHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
            throws IOException {
        // The path is not echoed: it is what the firewall found unsafe.
        problems.write(response, HttpStatus.BAD_REQUEST,
                "The request path is not allowed: it must be normalised and free of encoded separators.", null);
    }
}
