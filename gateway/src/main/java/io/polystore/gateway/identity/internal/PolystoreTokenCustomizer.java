package io.polystore.gateway.identity.internal;

import com.nimbusds.jose.jwk.JWK;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.PolystoreTokens;
import io.polystore.gateway.Role;
import io.polystore.gateway.account.Account;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Shapes every token the gateway signs: the active key's id and algorithm in the header; for access tokens the
 * platform audience, the client id and the caller's roles: a person's as their account holds them when the token is
 * issued (so a role granted or revoked counts from the next token, refreshed ones included), a machine client's from
 * its registration. Roles never come from what the client asked for. A person's access token also names their home
 * region ({@code region}); a machine's has none: it has no home, and acts in the region it calls. Counts the access
 * tokens it shapes, by grant type, as {@code polystore.gateway.tokens.issued}.
 */
public final class PolystoreTokenCustomizer implements OAuth2TokenCustomizer<JwtEncodingContext> {

    private final JWK signingKey;
    private final Function<String, Optional<Account>> accounts;
    private final MeterRegistry meters;

    /** @param accounts the account of this username as it is now */
    public PolystoreTokenCustomizer(SigningKeys keys, Function<String, Optional<Account>> accounts,
                                    MeterRegistry meters) {
        this.signingKey = keys.active();
        this.accounts = accounts;
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
            // Mutable lists: the claims are kept with the authorization as JSON (SharedAuthorizations), whose reader
            // admits the usual collection types only.
            JwtClaimsSet.Builder claims = context.getClaims()
                    .audience(new ArrayList<>(List.of(PolystoreTokens.AUDIENCE)))
                    .claim(PolystoreTokens.CLIENT_ID_CLAIM, context.getRegisteredClient().getClientId());
            if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
                claims.claim(PolystoreTokens.ROLES_CLAIM,
                        names(ConfiguredClients.machineRoles(context.getRegisteredClient())));
            } else {
                Optional<Account> account = accounts.apply(context.getPrincipal().getName());
                claims.claim(PolystoreTokens.ROLES_CLAIM, names(account.map(Account::roles).orElse(Set.of())));
                account.ifPresent(person -> claims.claim(PolystoreTokens.REGION_CLAIM, person.homeRegion()));
            }
            issuedCounter(context.getAuthorizationGrantType()).increment();
        }
    }

    private Counter issuedCounter(AuthorizationGrantType grantType) {
        return Counter.builder("polystore.gateway.tokens.issued").description("Access tokens signed, by grant type")
                .tag("grant_type", grantType == null ? "none" : grantType.getValue())
                .register(meters);
    }

    private static List<String> names(Set<Role> roles) {
        return roles.stream().map(Role::name).sorted().collect(Collectors.toCollection(ArrayList::new));
    }
}
