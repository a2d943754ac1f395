package io.polystore.gateway.account.internal;

import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * A failed sign-in: a browser goes back to the sign-in page, which shows why; a client that
 * asks for JSON gets problem details: 401 for a wrong username or password, 423 with {@code Retry-After} for a
 * locked account.
 */
public final class SignInFailureHandler implements AuthenticationFailureHandler {

    private final AuthenticationFailureHandler page;
    private final ProblemResponses problems;
    private final Clock clock;

    public SignInFailureHandler(String failurePage, ProblemResponses problems, Clock clock) {
        this.page = new SimpleUrlAuthenticationFailureHandler(failurePage);
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException failure) throws IOException, ServletException {
        if (!wantsJson(request)) {
            page.onAuthenticationFailure(request, response, failure);
            return;
        }
        if (failure instanceof AccountLockedException locked) {
            Duration wait = Duration.between(clock.instant(), locked.lockedUntil());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, wait.toSeconds() + 1)));
            problems.write(request, response, HttpStatus.LOCKED, locked.getMessage());
        } else {
            problems.write(request, response, HttpStatus.UNAUTHORIZED, "The username or password is not right.");
        }
    }

    /** Only a client that names JSON and not HTML; browsers and {@code curl}'s {@code *}{@code /*} get the page. */
    private static boolean wantsJson(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException unreadable) {
            return false;
        }
        boolean html = accepted.stream().anyMatch(type -> type.equalsTypeAndSubtype(MediaType.TEXT_HTML));
        boolean json = accepted.stream().anyMatch(type -> type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
                || type.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON));
        return json && !html;
    }
}
