package io.polystore.gateway.identity.internal;

import io.polystore.gateway.identity.PolystoreTokens;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.util.List;

/** What the gateway requires of every token, as every service does: the issuer, a valid time window, the audience. */
public final class TokenValidation {

    private TokenValidation() {
    }

    public static OAuth2TokenValidator<Jwt> forIssuer(String issuer) {
        OAuth2TokenValidator<Jwt> audience = new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audiences -> audiences != null && audiences.contains(PolystoreTokens.AUDIENCE));
        return new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(issuer), audience);
    }
}
