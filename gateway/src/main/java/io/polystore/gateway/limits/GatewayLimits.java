package io.polystore.gateway.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.limits.internal.RateLimitFilter;
import io.polystore.gateway.limits.internal.RateLimiter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.web.filter.CorsFilter;

import java.time.Duration;
import java.util.Optional;

/**
 * What every security filter chain of the gateway applies: CORS from configuration, the security headers, and the
 * rate limit filter, which each chain places where its caller is known.
 */
public final class GatewayLimits {

    private final LimitsProperties limits;
    private final CorsFilter cors;
    private final RateLimitFilter rateLimitFilter;
    private final RateLimiter registrations;
    private final Counter registrationsLimited;

    GatewayLimits(LimitsProperties limits, CorsFilter cors, RateLimitFilter rateLimitFilter, MeterRegistry meters) {
        this.limits = limits;
        this.cors = cors;
        this.rateLimitFilter = rateLimitFilter;
        this.registrations = new RateLimiter(limits.registrations(), limits.trackedCallers());
        this.registrationsLimited = meters.counter("polystore.gateway.rate.limited", "limit", "registration");
    }

    public void applyTo(HttpSecurity http) {
        // The filter itself rather than http.cors(...), which would build one with Spring's plain-text refusals.
        http.addFilter(cors);
        http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(limits.contentSecurityPolicy()))
                .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
                .frameOptions(frames -> frames.deny())
                .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy",
                        "camera=(), microphone=(), geolocation=(), payment=()")));
    }

    public RateLimitFilter rateLimitFilter() {
        return rateLimitFilter;
    }

    /** Takes one account creation from the address's allowance; when it is used up, how long until the next. */
    public Optional<Duration> tryRegistration(String clientAddress) {
        Optional<Duration> wait = registrations.tryAcquire(clientAddress);
        wait.ifPresent(ignored -> registrationsLimited.increment());
        return wait;
    }
}
