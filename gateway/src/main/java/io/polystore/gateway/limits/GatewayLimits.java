package io.polystore.gateway.limits;

import io.polystore.gateway.limits.internal.RateLimitFilter;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.web.filter.CorsFilter;

/**
 * What every security filter chain of the gateway applies: CORS from configuration, the security headers, and the
 * rate limit filter, which each chain places where its caller is known.
 */
public final class GatewayLimits {

    private final LimitsProperties limits;
    private final CorsFilter cors;
    private final RateLimitFilter rateLimitFilter;

    GatewayLimits(LimitsProperties limits, CorsFilter cors, RateLimitFilter rateLimitFilter) {
        this.limits = limits;
        this.cors = cors;
        this.rateLimitFilter = rateLimitFilter;
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
}
