package io.polystore.gateway.access;

import io.polystore.gateway.PolystoreTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Notes who made the request, for the access audit. It sits at the start of each security filter chain and reads
 * the security context on the way out, once the chain has authenticated the caller (bearer token, sign-in form or
 * client credentials) and before the context is cleared.
 */
public final class PrincipalRecorder extends OncePerRequestFilter {

    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } finally {
            record(request, contexts.getContext().getAuthentication());
        }
    }

    private static void record(HttpServletRequest request, Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            return;
        }
        request.setAttribute(AccessAttributes.PRINCIPAL, authentication.getName());
        String client = switch (authentication) {
            case JwtAuthenticationToken jwt -> PolystoreTokens.clientOf(jwt.getToken());
            case OAuth2ClientAuthenticationToken clientAuthentication -> clientAuthentication.getName();
            default -> null;
        };
        if (client != null && !client.isBlank()) {
            request.setAttribute(AccessAttributes.CLIENT, client);
        }
    }
}
