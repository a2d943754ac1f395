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
import java.util.regex.Pattern;

/**
 * {@code polystore.gateway.limits}: how often each caller may send, which browsers' origins may call,
 * and the security headers of every response.
 *
 * @param perUser               requests per signed-in user (the token's subject)
 * @param perClient             requests per OAuth2 client, summed over all its users
 * @param perAddress            requests per client address without a valid token (sign-in, token endpoint, public
 *                              paths); also what stops password and client-secret guessing
 * @param registrations         sign-up attempts per client address, refused ones included, on top of {@code perAddress}
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
        @NotNull @Valid RateLimit registrations,
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
     * @param allowedOrigins origins allowed to call from a browser, each exactly {@code scheme://host[:port]}
     *                       ({@code https://shop.example.com}); empty for none. No wildcard: a browser page from any
     *                       other origin gets its preflights refused
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

        private static final Pattern ORIGIN = Pattern.compile("https?://[^/?#*\\s]+");

        public Cors {
            for (String origin : allowedOrigins) {
                if (!ORIGIN.matcher(origin).matches()) {
                    throw new IllegalArgumentException("polystore.gateway.limits.cors.allowed-origins: '" + origin
                            + "' is not an origin; name each as scheme://host[:port], without path or wildcard");
                }
            }
            allowedOrigins = List.copyOf(allowedOrigins);
        }
    }
}
