package io.polystore.gateway.account;

import io.polystore.gateway.account.internal.SignInFailureHandler;
import io.polystore.servicedefaults.problem.ProblemResponses;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

import java.time.Clock;

/**
 * What the sign-in page needs to sign people in against their accounts: the authentication (passwords from the
 * account store, lockout after repeated failures) and the answer to a failure.
 */
public final class AccountSignIn {

    private final AuthenticationManager authenticationManager;
    private final ProblemResponses problems;

    AccountSignIn(AuthenticationManager authenticationManager, ProblemResponses problems) {
        this.authenticationManager = authenticationManager;
        this.problems = problems;
    }

    public AuthenticationManager authenticationManager() {
        return authenticationManager;
    }

    /**
     * Browsers go back to {@code failurePage}, which shows the reason (a locked account says until when); a client that
     * asks for JSON gets problem details instead: 401, or 423 with {@code Retry-After} for a locked account.
     */
    public AuthenticationFailureHandler failureHandler(String failurePage) {
        return new SignInFailureHandler(failurePage, problems, Clock.systemUTC());
    }
}
