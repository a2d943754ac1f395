package io.polystore.servicedefaults.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code polystore.security.tokens}: how strictly every service and the gateway read a token's time claims.
 *
 * @param clockSkew how far the issuer's clock and this machine's may disagree: a token counts as expired this long
 *                  after its {@code exp}, and as valid this long before its {@code nbf} or {@code iat}; between 0 and
 *                  {@value #MAX_CLOCK_SKEW_SECONDS} seconds
 */
@ConfigurationProperties("polystore.security.tokens")
public record TokenProperties(@DefaultValue("5s") Duration clockSkew) {

    static final long MAX_CLOCK_SKEW_SECONDS = 30;

    public TokenProperties {
        if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofSeconds(MAX_CLOCK_SKEW_SECONDS)) > 0) {
            throw new IllegalArgumentException("polystore.security.tokens.clock-skew must be between 0 and "
                    + MAX_CLOCK_SKEW_SECONDS + " s, was " + clockSkew + ": an expired token stays valid this long");
        }
    }
}
