package io.polystore.gateway;

import io.polystore.servicedefaults.security.TokenRules;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.jwt.Jwt;

/** What every Polystore access token carries, wherever it was issued, and what every service checks. */
public final class PolystoreTokens {

    /** The audience every service requires ({@code spring.security.oauth2.resourceserver.jwt.audiences}). */
    public static final String AUDIENCE = TokenRules.AUDIENCE;
    /** The claim holding the caller's roles, without the {@code ROLE_} prefix. */
    public static final String ROLES_CLAIM = "roles";
    /** A person's home region ({@link TokenRules#HOME_REGION_CLAIM}). */
    public static final String REGION_CLAIM = TokenRules.HOME_REGION_CLAIM;
    /** The OAuth2 client the token was issued to (RFC 9068); external issuers may use {@code azp} instead. */
    public static final String CLIENT_ID_CLAIM = "client_id";

    private static final String AUTHORIZED_PARTY_CLAIM = "azp";

    private PolystoreTokens() {
    }

    /** The client a token was issued to: its {@code client_id}, else its authorized party; null when it names none. */
    public static @Nullable String clientOf(Jwt token) {
        String client = token.getClaimAsString(CLIENT_ID_CLAIM);
        return client != null ? client : token.getClaimAsString(AUTHORIZED_PARTY_CLAIM);
    }
}
