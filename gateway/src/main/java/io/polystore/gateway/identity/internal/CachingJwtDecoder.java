package io.polystore.gateway.identity.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import java.time.Clock;
import java.time.Duration;

/**
 * Remembers tokens that passed every check, by their exact text, so a client reusing its access token (the usual
 * case) is not verified and parsed again on every request; signature checking and claim mapping were the largest
 * part of what the gateway spends per request. A remembered token is served only until it expires, and at most
 * for {@code maxAge}; a token that failed is never remembered.
 */
public final class CachingJwtDecoder implements JwtDecoder {

    private final JwtDecoder delegate;
    private final Clock clock;
    private final Cache<String, Jwt> verified;

    public CachingJwtDecoder(JwtDecoder delegate, Clock clock, int maxTokens, Duration maxAge) {
        this.delegate = delegate;
        this.clock = clock;
        this.verified = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.getIfPresent(token);
        if (known != null && known.getExpiresAt() != null && clock.instant().isBefore(known.getExpiresAt())) {
            return known;
        }
        Jwt decoded = delegate.decode(token);
        if (decoded.getExpiresAt() != null) {
            verified.put(token, decoded);
        }
        return decoded;
    }
}
