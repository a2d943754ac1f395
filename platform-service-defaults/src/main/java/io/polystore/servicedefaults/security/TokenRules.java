package io.polystore.servicedefaults.security;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every Polystore access token must satisfy, wherever it was issued, checked alike by the gateway and by every
 * service: a signature (the decoder's part), its issuer ({@code iss}), the platform's audience ({@code aud}), an
 * expiry ({@code exp}: a token without one would never expire) that has not passed, a {@code nbf} that has, and an
 * {@code iat} that is not in the future, each within {@code polystore.security.tokens.clock-skew}.
 *
 * <p>Services get {@link #timeWindow} and {@link #issuedAt} as beans, and Boot adds the issuer and audience
 * from {@code spring.security.oauth2.resourceserver.jwt.*}; the gateway builds the same set with {@link #forIssuer}.
 */
public final class TokenRules {

    /** The audience every Polystore token names and every service requires. */
    public static final String AUDIENCE = "polystore";
    /**
     * A person's home region, where their orders and personal data are kept (their account's, as the gateway issues
     * the token). Machine tokens carry none; services treat a token without it as of their own region.
     */
    public static final String HOME_REGION_CLAIM = "region";

    private TokenRules() {
    }

    /** The full set: the issuer, the audience and the time claims. */
    public static OAuth2TokenValidator<Jwt> forIssuer(String issuer, Duration clockSkew) {
        return JwtValidators.createDefaultWithValidators(List.of(new JwtIssuerValidator(issuer), audience(),
                timeWindow(clockSkew, Clock.systemUTC()), issuedAt(clockSkew, Clock.systemUTC())));
    }

    /** {@code aud} names {@value #AUDIENCE}. */
    public static OAuth2TokenValidator<Jwt> audience() {
        return new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                audiences -> audiences != null && audiences.contains(AUDIENCE));
    }

    /** {@code exp} is present and not passed, {@code nbf} (when present) reached, both within {@code clockSkew}. */
    public static JwtTimestampValidator timeWindow(Duration clockSkew, Clock clock) {
        JwtTimestampValidator validator = new JwtTimestampValidator(clockSkew);
        validator.setAllowEmptyExpiryClaim(false);
        validator.setAllowEmptyNotBeforeClaim(true);
        validator.setClock(clock);
        return validator;
    }

    /** {@code iat} (when present) is not later than now plus {@code clockSkew}: no token issued in the future. */
    public static OAuth2TokenValidator<Jwt> issuedAt(Duration clockSkew, Clock clock) {
        return token -> {
            Instant issuedAt = token.getIssuedAt();
            if (issuedAt != null && issuedAt.isAfter(clock.instant().plus(clockSkew))) {
                return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "Jwt issued in the future, at " + issuedAt, "https://tools.ietf.org/html/rfc6750#section-3.1"));
            }
            return OAuth2TokenValidatorResult.success();
        };
    }
}
