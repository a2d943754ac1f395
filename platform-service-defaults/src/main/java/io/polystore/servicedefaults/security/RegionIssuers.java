package io.polystore.servicedefaults.security;

import com.nimbusds.jwt.JWTParser;
import io.polystore.servicedefaults.region.RegionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import java.text.ParseException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One identity across regions: a token issued by any region's gateway listed in {@code polystore.region.gateways} is
 * accepted as well as one of this service's own issuer. The token's (not yet trusted) {@code iss} only picks the
 * decoder: each other region's gateway is checked against its own keys, found through its own discovery document
 * (read on first use, so a region that is down delays nothing at start), with the full {@link TokenRules} for that
 * issuer (audience, time claims); any other {@code iss} goes to the service's own decoder, which refuses an issuer
 * it does not know exactly as before. Without other gateways listed, or under an external issuer (one issuer for all
 * regions, named by {@value #EXTERNAL_ISSUER_PROPERTY}), the decoder is left as it is.
 */
public final class RegionIssuers implements JwtDecoder {

    /** Where the gateway names an external issuer; the services get the same value from the same variable. */
    public static final String EXTERNAL_ISSUER_PROPERTY = "polystore.identity.external-issuer-uri";

    private static final Logger log = LoggerFactory.getLogger(RegionIssuers.class);

    private final JwtDecoder own;
    private final Map<String, JwtDecoder> otherRegions;

    RegionIssuers(JwtDecoder own, Map<String, JwtDecoder> otherRegions) {
        this.own = own;
        this.otherRegions = Map.copyOf(otherRegions);
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        String issuer;
        try {
            issuer = JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException malformed) {
            throw new BadJwtException("Malformed token: " + malformed.getMessage(), malformed);
        }
        JwtDecoder decoder = issuer == null ? null : otherRegions.get(issuer);
        return (decoder == null ? own : decoder).decode(token);
    }

    /**
     * The decoder for {@code region}'s gateway at {@code issuer}: its keys from its discovery document, the platform's
     * rules for that issuer, accepted tokens remembered.
     */
    static JwtDecoder forGateway(String issuer, TokenProperties tokens) {
        return new RememberedTokens(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
            decoder.setJwtValidator(TokenRules.forIssuer(issuer, tokens.clockSkew()));
            return decoder;
        }), Clock.systemUTC(), RememberedTokens.MAX_TOKENS, RememberedTokens.MAX_AGE);
    }

    /**
     * Puts {@link RegionIssuers} in front of the application's {@link JwtDecoder} bean when other regions' gateways
     * are listed and no external issuer is used.
     */
    static BeanPostProcessor trustingOtherRegions(ObjectProvider<RegionProperties> regions,
                                                  ObjectProvider<TokenProperties> tokens, Environment environment) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof JwtDecoder decoder) || bean instanceof RegionIssuers
                        || !environment.getProperty(EXTERNAL_ISSUER_PROPERTY, "").isBlank()) {
                    return bean;
                }
                RegionProperties region = regions.getObject();
                if (region.otherGateways().isEmpty()) {
                    return bean;
                }
                Map<String, JwtDecoder> others = new LinkedHashMap<>();
                region.otherGateways().forEach((name, gateway) -> {
                    String issuer = gateway.toString();
                    others.put(issuer, forGateway(issuer, tokens.getObject()));
                });
                log.info("Trusting the tokens of the gateways of {} besides this service's own issuer", others.keySet());
                return new RememberedTokens(new RegionIssuers(decoder, others), Clock.systemUTC(),
                        RememberedTokens.MAX_TOKENS, RememberedTokens.MAX_AGE);
            }
        };
    }
}
