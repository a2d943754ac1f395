package io.polystore.gateway.identity;

import io.polystore.gateway.identity.internal.TokenValidation;
import io.polystore.servicedefaults.security.TokenProperties;
import io.polystore.servicedefaults.security.TokenRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.util.Optional;

/**
 * The gateway trusts another OpenID provider (Keycloak, Entra ID, ...) named by
 * {@code polystore.identity.external-issuer-uri}, and issues nothing itself. Its keys and endpoints come from the
 * provider's discovery document, read on first use, so the gateway starts even while the provider is down.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${" + IdentityProperties.EXTERNAL_ISSUER_PROPERTY + ":}' != ''")
class ExternalIssuerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ExternalIssuerConfiguration.class);

    @Bean
    JwtDecoder jwtDecoder(IdentityProperties identity, TokenProperties tokens) {
        String issuer = identity.externalIssuerUri().toString();
        log.info("Trusting tokens of the external issuer {}; the gateway issues none itself", issuer);
        return TokenValidation.remembering(new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = JwtDecoders.fromIssuerLocation(issuer);
            decoder.setJwtValidator(TokenRules.forIssuer(issuer, tokens.clockSkew()));
            return decoder;
        }));
    }

    @Bean
    SignInEndpoints signInEndpoints(IdentityProperties identity, RestClient.Builder http, JsonMapper json) {
        URI discovery = URI.create(identity.externalIssuerUri().toString().replaceAll("/+$", "")
                + "/.well-known/openid-configuration");
        RestClient client = http.build();
        return new SignInEndpoints() {
            private volatile Endpoints endpoints;

            @Override
            public Optional<Endpoints> endpoints() {
                if (endpoints == null) {
                    try {
                        JsonNode metadata = json.readTree(client.get().uri(discovery).retrieve().body(String.class));
                        String authorization = metadata.path("authorization_endpoint").asString("");
                        String token = metadata.path("token_endpoint").asString("");
                        if (authorization.isEmpty() || token.isEmpty()) {
                            log.warn("The issuer's metadata at {} names no authorization or token endpoint", discovery);
                            return Optional.empty();
                        }
                        endpoints = new Endpoints(URI.create(authorization), URI.create(token));
                    } catch (RuntimeException e) {
                        log.warn("Cannot read the issuer's metadata at {}: {}", discovery, e.getMessage());
                        return Optional.empty();
                    }
                }
                return Optional.of(endpoints);
            }
        };
    }
}
