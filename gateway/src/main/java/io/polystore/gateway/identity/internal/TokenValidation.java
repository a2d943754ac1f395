package io.polystore.gateway.identity.internal;

import io.polystore.gateway.PolystoreTokens;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** What the gateway requires of every token, as every service does: the issuer, a valid time window, the audience. */
public final class TokenValidation {

    private TokenValidation() {
    }

    private static final int REMEMBERED_TOKENS = 100_000;
    private static final Duration REMEMBERED_FOR = Duration.ofMinutes(5);

    /** {@code decoder}, remembering the tokens it accepted for a while (see {@link CachingJwtDecoder}). */
    public static JwtDecoder remembering(JwtDecoder decoder) {
        return new CachingJwtDecoder(decoder, Clock.systemUTC(), REMEMBERED_TOKENS, REMEMBERED_FOR);
    }

    public static OAuth2TokenValidator<Jwt> forIssuer(String issuer) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audiences -> audiences != null && audiences.contains(PolystoreTokens.AUDIENCE));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audience);
    }
}
