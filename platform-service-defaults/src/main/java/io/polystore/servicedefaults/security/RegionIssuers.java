package io.polystore.servicedefaults.security;

import com.nimbusds.jwt.JWTParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One identity across regions: a token issued by any region's gateway listed in {@code polystore.region.gateways}, or
 * announced by its region since ({@code KnownRegions}), is accepted as well as one of this service's own issuer. The token's (not yet trusted) {@code iss} only picks the
 * decoder: each other region's gateway is checked against its own keys ({@link OtherRegionsKeys}: fetched in the
 * background from the start and kept while that gateway is down), with the full {@link TokenRules} for that
 * issuer (audience, time claims); any other {@code iss} goes to the service's own decoder, which refuses an issuer
 * it does not know exactly as before. Under an external issuer (one issuer for all
 * regions, named by {@value #EXTERNAL_ISSUER_PROPERTY}), the decoder is left as it is.
 */
public final class RegionIssuers implements JwtDecoder {

    /** Where the gateway names an external issuer; the services get the same value from the same variable. */
    public static final String EXTERNAL_ISSUER_PROPERTY = "polystore.identity.external-issuer-uri";

    private static final Logger log = LoggerFactory.getLogger(RegionIssuers.class);

    private final JwtDecoder own;
    private final OtherRegionsKeys otherRegions;
    private final TokenProperties tokens;
    /** One decoder per other region's gateway, made at its first token (a region announced later included). */
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();

    RegionIssuers(JwtDecoder own, OtherRegionsKeys otherRegions, TokenProperties tokens) {
        this.own = own;
        this.otherRegions = otherRegions;
        this.tokens = tokens;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException malformed) {
            throw new BadJwtException("Malformed token: " + malformed.getMessage(), malformed);
        }
        GatewayKeys keys = issuer == null ? null : otherRegions.byIssuer().get(issuer);
        JwtDecoder decoder = keys == null ? own : decoders.computeIfAbsent(issuer, known -> forGateway(keys, tokens));
        return decoder.decode(token);
    }

    /**
     * The decoder for the gateway at {@code keys}' issuer: its keys and the platform's rules for it (accepted tokens
     * are remembered once, around {@link RegionIssuers}).
     */
    static JwtDecoder forGateway(GatewayKeys keys, TokenProperties tokens) {
        // The asymmetric algorithms a gateway's keys may sign with; each key is only used with its own.
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).jwsAlgorithms(algorithms -> algorithms.addAll(List.of(
                SignatureAlgorithm.RS256, SignatureAlgorithm.RS384, SignatureAlgorithm.RS512,
                SignatureAlgorithm.ES256, SignatureAlgorithm.ES384, SignatureAlgorithm.ES512))).build();
        decoder.setJwtValidator(TokenRules.forIssuer(keys.issuer(), tokens.clockSkew()));
        return decoder;
    }

    /**
     * Puts {@link RegionIssuers} in front of the application's {@link JwtDecoder} bean unless an external issuer is
     * used: even with no other region's gateway listed, since one may be announced while the service runs.
     */
    static BeanPostProcessor trustingOtherRegions(ObjectProvider<OtherRegionsKeys> otherRegionsKeys,
                                                  ObjectProvider<TokenProperties> tokens, Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof JwtDecoder decoder) || bean instanceof RegionIssuers
                        || !environment.getProperty(EXTERNAL_ISSUER_PROPERTY, "").isBlank()) {
                    return bean;
                }
                OtherRegionsKeys keys = otherRegionsKeys.getObject();
                log.info("Trusting the tokens of the gateways {} besides this service's own issuer, and of every region"
                        + " announced later", keys.byIssuer().keySet());
                return new RememberedTokens(new RegionIssuers(decoder, keys, tokens.getObject()), Clock.systemUTC(),
                        RememberedTokens.MAX_TOKENS, RememberedTokens.MAX_AGE);
            }
        };
    }
}
