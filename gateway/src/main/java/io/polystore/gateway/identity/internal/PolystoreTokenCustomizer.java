package io.polystore.gateway.identity.internal;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.PolystoreTokens;
import io.polystore.gateway.Role;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Shapes every token the gateway signs: the active key's id and algorithm in the header; for access tokens the
 * platform audience, the client id and the caller's roles: a person's as their account holds them when the token is
 * issued (so a role granted or revoked counts from the next token, refreshed ones included), a machine client's from
 * its registration. Roles never come from what the client asked for. Counts the access tokens it shapes, by grant
 * type, as {@code polystore.gateway.tokens.issued}.
 */
public final class PolystoreTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final JWK signingKey;
    private final Function<String, Set<Role>> accountRoles;
    private final MeterRegistry meters;

    /** @param accountRoles the roles of the account of this username now; none when there is no such account */
    public PolystoreTokenCustomizer(SigningKeys keys, Function<String, Set<Role>> accountRoles, MeterRegistry meters) {
        this.signingKey = keys.active();
        this.accountRoles = accountRoles;
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
            context.getClaims()
                    .audience(List.of(PolystoreTokens.AUDIENCE))
                    .claim(PolystoreTokens.CLIENT_ID_CLAIM, context.getRegisteredClient().getClientId())
                    .claim(PolystoreTokens.ROLES_CLAIM, roles(context));
            issuedCounter(context.getAuthorizationGrantType()).increment();
        }
    }

    private Counter issuedCounter(AuthorizationGrantType grantType) {
        return Counter.builder("polystore.gateway.tokens.issued").description("Access tokens signed, by grant type")
                .tag("grant_type", grantType == null ? "none" : grantType.getValue())
                .register(meters);
    }

    private List<String> roles(JwtEncodingContext context) {
        Set<Role> roles = AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
                ? ConfiguredClients.machineRoles(context.getRegisteredClient())
                : accountRoles.apply(context.getPrincipal().getName());
        return roles.stream().map(Role::name).sorted().toList();
    }
}
