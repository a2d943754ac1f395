package io.polystore.gateway.account;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * What the sign-in page needs to sign people in against their accounts: the authentication (passwords from the
 * account store, lockout after repeated failures) and the answer to a failure (the page with the reason, or problem
 * details for a client that asks for JSON).
 */
public record AccountSignIn(AuthenticationManager authenticationManager, AuthenticationFailureHandler failureHandler) {
}
