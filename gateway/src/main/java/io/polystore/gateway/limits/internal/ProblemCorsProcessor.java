package io.polystore.gateway.limits.internal;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;

import java.io.IOException;

/**
 * Spring's CORS rules, with two changes: a preflight is refused when no origin is configured at all (Spring would
 * answer it 200 with no policy), and a refusal is a 403 problem rather than a plain-text body. Cross-origin requests
 * that are not preflights and meet no configuration pass without CORS headers, so browsers do not let the calling page
 * read the answer.
 */
public final class ProblemCorsProcessor extends DefaultCorsProcessor {

    private final ProblemResponses problems;

    public ProblemCorsProcessor(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public boolean processRequest(@Nullable CorsConfiguration configuration, HttpServletRequest request,
                                  HttpServletResponse response) throws IOException {
        boolean allowed = configuration == null
                ? !CorsUtils.isPreFlightRequest(request)
                : super.processRequest(configuration, request, response);
        if (!allowed) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "Cross-origin requests from this origin are not "
                    + "allowed: the gateway accepts them only from polystore.gateway.limits.cors.allowed-origins.");
        }
        return allowed;
    }

    /** The problem is written by {@link #processRequest}, which knows the request. */
    @Override
    protected void rejectRequest(ServerHttpResponse response) {
    }
}
