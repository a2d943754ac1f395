package io.polystore.gateway.identity.internal;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.PolystoreTokens;
import io.polystore.gateway.Role;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Shapes every token the gateway signs: the active key's id and algorithm in the header; for access tokens the
 * platform audience, the client id and the caller's roles: a person's from their account, a machine client's from
 * its registration. Roles never come from what the client asked for. Counts the access tokens it shapes, by grant
 * type, as {@code polystore.gateway.tokens.issued}.
 */
public final class PolystoreTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private static final Set<String> ROLE_NAMES = Arrays.stream(Role.values()).map(Role::name).collect(Collectors.toSet());

    private final JWK signingKey;
    private final ConfiguredClients clients;
    private final MeterRegistry meters;

    public PolystoreTokenCustomizer(SigningKeys keys, ConfiguredClients clients, MeterRegistry meters) {
        this.signingKey = keys.active();
        this.clients = clients;
        this.meters = meters;
        List.of(AuthorizationGrantType.AUTHORIZATION_CODE, AuthorizationGrantType.CLIENT_CREDENTIALS,
                AuthorizationGrantType.REFRESH_TOKEN).forEach(this::issuedCounter);
    }

    @Override
    public void customize(JwtEncodingContext context) {
        context.getJwsHeader()
                .algorithm(SignatureAlgorithm.from(signingKey.getAlgorithm().getName()))
                .keyId(signingKey.getKeyID());
        if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
            String clientId = context.getRegisteredClient().getClientId();
            context.getClaims()
                    .audience(List.of(PolystoreTokens.AUDIENCE))
                    .claim(PolystoreTokens.CLIENT_ID_CLAIM, clientId)
                    .claim(PolystoreTokens.ROLES_CLAIM, roles(context, clientId));
            issuedCounter(context.getAuthorizationGrantType()).increment();
        }
    }

    private Counter issuedCounter(AuthorizationGrantType grantType) {
        return Counter.builder("polystore.gateway.tokens.issued").description("Access tokens signed, by grant type")
                .tag("grant_type", grantType == null ? "none" : grantType.getValue())
                .register(meters);
    }

    private List<String> roles(JwtEncodingContext context, String clientId) {
        if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
            return clients.machineRoles(clientId).stream().map(Role::name).sorted().toList();
        }
        return context.getPrincipal().getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(authority -> authority != null && authority.startsWith("ROLE_"))
                .map(authority -> authority.substring("ROLE_".length()))
                .filter(ROLE_NAMES::contains)
                .sorted()
                .toList();
    }
}
