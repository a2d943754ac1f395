package io.polystore.servicedefaults.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderInitializationException;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * Remembers the tokens a service's decoder accepted, by their exact text, so that a client reusing its access token
 * (the usual case) is not verified and parsed again on every request: the RSA signature, the JSON and the claim
 * mapping were a tenth of what a catalog read by id spends in the service (issue 15). A remembered token is served
 * only until its {@code exp} and at most {@link #MAX_AGE} after it was checked (a key withdrawn from the issuer's
 * key set stops being trusted as late as Spring's key set cache already allows); a refused token is never remembered.
 * Every other claim rule gives the same answer later as it did then (issuer, audience, and {@code nbf} and
 * {@code iat}, which only become truer with time).
 * <p>
 * It wraps the decoders that verify each token themselves, Boot's ({@link NimbusJwtDecoder}, or a
 * {@link SupplierJwtDecoder} of one, as from an issuer's address); a decoder of another kind is left as it is.
 */
public final class RememberedTokens implements JwtDecoder {

    static final int MAX_TOKENS = 10_000;
    static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final JwtDecoder verifier;
    private final InstantSource clock;
    private final Duration maxAge;
    /** Bounded in size; its own expiry only frees memory, {@link Accepted#until} decides. */
    private final Cache<String, Accepted> accepted;

    private record Accepted(Jwt token, Instant until) {
    }

    RememberedTokens(JwtDecoder verifier, InstantSource clock, int maxTokens, Duration maxAge) {
        this.verifier = verifier;
        this.clock = clock;
        this.maxAge = maxAge;
        this.accepted = Caffeine.newBuilder().maximumSize(maxTokens).expireAfterWrite(maxAge).build();
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Accepted known = accepted.getIfPresent(token);
        if (known != null && now.isBefore(known.until())) {
            return known.token();
        }
        Jwt decoded;
        try {
            decoded = verifier.decode(token);
        } catch (JwtDecoderInitializationException issuerUnreachable) {
            // The issuer's metadata could not be fetched (it is down): a failure to check the token, not a bad token.
            throw new JwtException("The token issuer's keys cannot be fetched", issuerUnreachable);
        }
        if (decoded.getExpiresAt() != null) {
            Instant checkedAgainAt = now.plus(maxAge);
            accepted.put(token, new Accepted(decoded,
                    decoded.getExpiresAt().isBefore(checkedAgainAt) ? decoded.getExpiresAt() : checkedAgainAt));
        }
        return decoded;
    }

    /** Puts {@link RememberedTokens} in front of every verifying decoder bean. */
    static BeanPostProcessor inFrontOfVerifyingDecoders() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof NimbusJwtDecoder || bean instanceof SupplierJwtDecoder
                        ? new RememberedTokens((JwtDecoder) bean, Clock.systemUTC(), MAX_TOKENS, MAX_AGE)
                        : bean;
            }
        };
    }
}
