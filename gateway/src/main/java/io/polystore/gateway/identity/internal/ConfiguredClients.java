package io.polystore.gateway.identity.internal;

import io.polystore.gateway.Role;
import io.polystore.gateway.account.PasswordHashes;
import io.polystore.gateway.identity.IdentityProperties.GrantType;
import io.polystore.gateway.identity.IdentityProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The OAuth2 clients of {@code polystore.identity.clients}, checked for safe combinations: a public client only
 * uses the authorization code grant; every authorization code client must use PKCE and redirect only to HTTPS (or to
 * this machine); machine clients state their roles, which their registration keeps as a client setting.
 */
public final class ConfiguredClients {

    /** The client setting holding a machine client's roles, comma-separated. */
    public static final String ROLES_SETTING = "settings.client.polystore-roles";

    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final List<RegisteredClient> registeredClients;

    public ConfiguredClients(IdentityProperties identity) {
        this.registeredClients = identity.clients().entrySet().stream()
                .map(entry -> toRegisteredClient(entry.getKey(), entry.getValue(), identity))
                .toList();
    }

    public List<RegisteredClient> registeredClients() {
        return registeredClients;
    }

    /** The roles a client holds in the tokens it gets for itself (client credentials). */
    public static Set<Role> machineRoles(RegisteredClient client) {
        String roles = client.getClientSettings().getSetting(ROLES_SETTING);
        if (roles == null || roles.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(roles.split(",")).map(Role::valueOf).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Adds the client to the store, or updates the one of the same id. Another gateway starting at the same moment
     * may insert it between this one's look-up and insert: the insert then fails on the primary key, or earlier on the
     * repository's own check that no other client has the client id ("Registered client must be unique"), and the
     * second attempt updates the row the other gateway wrote. A real duplicate fails the second attempt too.
     */
    public static void store(RegisteredClientRepository repository, RegisteredClient client) {
        try {
            repository.save(client);
        } catch (DuplicateKeyException | IllegalArgumentException insertedMeanwhile) {
            repository.save(client);
        }
    }

    private static RegisteredClient toRegisteredClient(String id, IdentityProperties.Client client, IdentityProperties identity) {
        String property = "polystore.identity.clients." + id;
        Set<GrantType> grants = client.grantTypes();
        boolean authorizationCode = grants.contains(GrantType.AUTHORIZATION_CODE);
        boolean clientCredentials = grants.contains(GrantType.CLIENT_CREDENTIALS);
        if (client.secret() == null && !grants.equals(Set.of(GrantType.AUTHORIZATION_CODE))) {
            throw invalid(property, "a public client (no secret) may only use authorization_code");
        }
        if (grants.contains(GrantType.REFRESH_TOKEN) && !authorizationCode) {
            throw invalid(property, "refresh_token needs authorization_code");
        }
        if (authorizationCode && client.redirectUris().isEmpty()) {
            throw invalid(property, "authorization_code needs at least one redirect-uris entry");
        }
        if (clientCredentials != !client.roles().isEmpty()) {
            throw invalid(property, "roles are given to, and needed by, client_credentials clients only");
        }
        client.redirectUris().forEach(uri -> requireSafeRedirect(property, uri));
        client.scopes().forEach(scope -> {
            if (!SCOPE.matcher(scope).matches()) {
                throw invalid(property, "scope '" + scope + "' is not a valid OAuth2 scope");
            }
        });

        RegisteredClient.Builder builder = RegisteredClient.withId(id).clientId(id).clientName(id);
        if (client.secret() == null) {
            builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
        } else {
            builder.clientSecret(PasswordHashes.requireStrong(property + ".secret", client.secret()))
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                    .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        }
        grants.forEach(grant -> builder.authorizationGrantType(switch (grant) {
            case CLIENT_CREDENTIALS -> AuthorizationGrantType.CLIENT_CREDENTIALS;
            case AUTHORIZATION_CODE -> AuthorizationGrantType.AUTHORIZATION_CODE;
            case REFRESH_TOKEN -> AuthorizationGrantType.REFRESH_TOKEN;
        }));
        client.redirectUris().forEach(uri -> builder.redirectUri(uri.toString()));
        client.scopes().forEach(builder::scope);
        return builder
                .clientSettings(ClientSettings.builder()
                        .requireProofKey(authorizationCode)
                        .requireAuthorizationConsent(client.requireConsent())
                        .setting(ROLES_SETTING, client.roles().stream().map(Role::name).sorted()
                                .collect(Collectors.joining(",")))
                        .build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(identity.accessTokenTimeToLive())
                        .refreshTokenTimeToLive(identity.refreshTokenTimeToLive())
                        .authorizationCodeTimeToLive(identity.authorizationCodeTimeToLive())
                        .reuseRefreshTokens(false) // every refresh rotates the refresh token
                        .build())
                .build();
    }

    private static void requireSafeRedirect(String property, URI uri) {
        if (!uri.isAbsolute() || uri.getFragment() != null) {
            throw invalid(property, "redirect URI " + uri + " must be absolute and without a fragment");
        }
        boolean loopback = uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost());
        if (!"https".equals(uri.getScheme()) && !("http".equals(uri.getScheme()) && loopback)) {
            throw invalid(property, "redirect URI " + uri + " must use https (http only for localhost)");
        }
    }

    private static IllegalStateException invalid(String property, String reason) {
        return new IllegalStateException(property + ": " + reason);
    }
}
