package io.polystore.gateway.limits.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.PolystoreTokens;
import io.polystore.gateway.limits.LimitsProperties;
import io.polystore.servicedefaults.problem.ProblemResponses;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Rate limits inside the security filter chains, once the caller is known: a signed-in caller spends from its OAuth2
 * client's bucket and from its own, in one statement, anyone else from the bucket of its address. An empty bucket
 * answers 429 with {@code Retry-After}, the client's first when both are empty; the other bucket is spent all the same.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimiter users;
    private final RateLimiter clients;
    private final RateLimiter addresses;
    private final ProblemResponses problems;
    private final MeterRegistry meters;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    public RateLimitFilter(LimitsProperties limits, BucketTable buckets, ProblemResponses problems, MeterRegistry meters) {
        this.users = new RateLimiter(buckets, "user", limits.perUser(), Clock.systemUTC());
        this.clients = new RateLimiter(buckets, "client", limits.perClient(), Clock.systemUTC());
        this.addresses = new RateLimiter(buckets, "address", limits.perAddress(), Clock.systemUTC());
        this.problems = problems;
        this.meters = meters;
        // At zero from the start, so that a dashboard and the rate-limit alert tell "none" from "not measured".
        for (String limit : new String[] {"user", "client", "address"}) {
            meters.counter("polystore.gateway.rate.limited", "limit", limit);
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = contexts.getContext().getAuthentication();
        List<RateLimiter.Take> takes;
        if (authentication == null || !authentication.isAuthenticated()
                || authentication instanceof AnonymousAuthenticationToken) {
            takes = List.of(new RateLimiter.Take(addresses, request.getRemoteAddr()));
        } else {
            String client = authentication instanceof JwtAuthenticationToken jwt
                    ? PolystoreTokens.clientOf(jwt.getToken()) : null;
            RateLimiter.Take user = new RateLimiter.Take(users, authentication.getName());
            takes = client == null ? List.of(user) : List.of(new RateLimiter.Take(clients, client), user);
        }
        Optional<RateLimiter.Refusal> refusal = RateLimiter.tryAcquire(takes);
        if (refusal.isPresent()) {
            String limited = refusal.get().limit();
            meters.counter("polystore.gateway.rate.limited", "limit", limited).increment();
            long seconds = Math.max(1, (refusal.get().retryAfter().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "Too many requests per " + limited + "; retry after " + seconds + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}
