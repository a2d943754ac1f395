package io.polystore.gateway.identity.internal;

import org.springframework.security.oauth2.jwt.JwtDecoder;

import java.time.Clock;
import java.time.Duration;

/**
 * How the gateway checks tokens: with the platform's {@code TokenRules} (the same as every service's), and remembering
 * those that passed.
 */
public final class TokenValidation {

    private TokenValidation() {
    }

    private static final int REMEMBERED_TOKENS = 100_000;
    private static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);

    /** {@code decoder}, remembering the tokens it accepted for a while (see {@link CachingJwtDecoder}). */
    public static JwtDecoder remembering(JwtDecoder decoder) {
        return new CachingJwtDecoder(decoder, Clock.systemUTC(), REMEMBERED_TOKENS, REMEMBERED_FOR);
    }
}
