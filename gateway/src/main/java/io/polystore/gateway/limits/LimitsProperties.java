package io.polystore.gateway.limits;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * {@code polystore.gateway.limits}: how often each caller may send, which browsers' origins may call,
 * and the security headers of every response.
 *
 * @param perUser               requests per signed-in user (the token's subject)
 * @param perClient             requests per OAuth2 client, summed over all its users
 * @param perAddress            requests per client address without a valid token (sign-in, token endpoint, public
 *                              paths); also what stops password and client-secret guessing
 * @param trackedCallers        how many callers' rate-limit buckets are kept in memory; idle ones are dropped first
 * @param cors                  cross-origin access for browser applications served from other origins
 * @param contentSecurityPolicy the Content-Security-Policy of every response
 */
@Validated
@ConfigurationProperties("polystore.gateway.limits")
public record LimitsProperties(
        @NotNull @Valid RateLimit perUser,
        @NotNull @Valid RateLimit perClient,
        @NotNull @Valid RateLimit perAddress,
        @DefaultValue("100000") @Min(1) int trackedCallers,
        @DefaultValue @Valid Cors cors,
        @DefaultValue("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                + "frame-ancestors 'none'; base-uri 'self'; object-src 'none'") @NotBlank String contentSecurityPolicy) {

    /**
     * A token bucket: {@code requests} may be made at once, and they are refilled evenly over {@code per}.
     *
     * @param requests how many requests a full bucket allows
     * @param per      how long an empty bucket takes to refill completely
     */
    public record RateLimit(@Positive long requests, @NotNull Duration per) {
    }

    /**
     * @param allowedOrigins origins allowed to call from a browser ({@code https://shop.example.com}); empty for none
     * @param allowedMethods methods allowed cross-origin
     * @param allowedHeaders request headers allowed cross-origin
     * @param exposedHeaders response headers browsers may read
     * @param maxAge         how long browsers may cache a preflight answer
     */
    public record Cors(
            @DefaultValue List<String> allowedOrigins,
            @DefaultValue({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) List<String> allowedMethods,
            @DefaultValue({"Authorization", "Content-Type", "Idempotency-Key", "If-Match"}) List<String> allowedHeaders,
            @DefaultValue({"Location", "ETag", "Retry-After"}) List<String> exposedHeaders,
            @DefaultValue("1h") Duration maxAge) {
    }
}
