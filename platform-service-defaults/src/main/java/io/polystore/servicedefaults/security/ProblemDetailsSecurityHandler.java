package io.polystore.servicedefaults.security;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.io.IOException;
import java.time.Duration;

/**
 * 401 and 403 as RFC 9457 problem details. The RFC 6750 {@code WWW-Authenticate} header is kept, so OAuth clients
 * still learn why a token was refused. A token that could not be checked at all, because the issuer's keys could not
 * be fetched (the issuer is down, as when the only gateway a restarted instance knows is), is 503 with
 * {@code Retry-After}, not Spring Security's 500.
 */
public class ProblemDetailsSecurityHandler implements AuthenticationEntryPoint, AccessDeniedHandler,
        AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsSecurityHandler.class);
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerAccessDenied = new BearerTokenAccessDeniedHandler();
    private final ProblemResponses problems;

    public ProblemDetailsSecurityHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearerEntryPoint.commence(request, response, failure);
        problems.write(request, response, HttpStatus.UNAUTHORIZED, failure.getMessage() == null
                ? "A valid bearer token is required." : failure.getMessage());
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException failure) throws IOException {
        if (!(failure instanceof AuthenticationServiceException)) {
            commence(request, response, failure);
            return;
        }
        log.warn("Answering 503, the token could not be checked: {}", failure.toString());
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(RETRY_AFTER.toSeconds()));
        problems.write(request, response, HttpStatus.SERVICE_UNAVAILABLE, "The token cannot be checked for a moment:"
                + " the issuer's keys cannot be fetched. Send the same request again after " + RETRY_AFTER.toSeconds() + " s.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearerAccessDenied.handle(request, response, denied);
        problems.write(request, response, HttpStatus.FORBIDDEN, "The token does not grant access to this resource.");
    }
}
