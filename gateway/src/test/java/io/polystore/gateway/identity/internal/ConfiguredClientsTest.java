package io.polystore.gateway.identity.internal;

import io.polystore.gateway.Role;
import io.polystore.gateway.identity.IdentityProperties.Client;
import io.polystore.gateway.identity.IdentityProperties.GrantType;
import io.polystore.gateway.identity.IdentityProperties;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfiguredClientsTest {

    static final String SECRET = "{bcrypt}" + new BCryptPasswordEncoder(12).encode("s3cret");
    static final Set<URI> CALLBACK = Set.of(URI.create("https://app.example/callback"));

    @Test
    void registersAPublicClientWithPkceAndNoSecret() {
        RegisteredClient client = only(new Client(null, Set.of(GrantType.AUTHORIZATION_CODE), CALLBACK, Set.of("openid"),
                Set.of(), false));

        assertThat(client.getClientAuthenticationMethods()).containsExactly(ClientAuthenticationMethod.NONE);
        assertThat(client.getClientSettings().isRequireProofKey()).isTrue();
        assertThat(client.getTokenSettings().getAccessTokenTimeToLive()).isEqualTo(Duration.ofMinutes(15));
        assertThat(client.getTokenSettings().isReuseRefreshTokens()).isFalse();
    }

    @Test
    void registersAMachineClientWithItsRoles() {
        ConfiguredClients clients = new ConfiguredClients(identity(new Client(SECRET, Set.of(GrantType.CLIENT_CREDENTIALS),
                Set.of(), Set.of(), Set.of(Role.AUDITOR), false)));

        assertThat(clients.registeredClients().getFirst().getAuthorizationGrantTypes())
                .containsExactly(AuthorizationGrantType.CLIENT_CREDENTIALS);
        assertThat(ConfiguredClients.machineRoles(clients.registeredClients().getFirst())).containsExactly(Role.AUDITOR);
    }

    @Test
    void refusesAPublicClientWithClientCredentials() {
        assertRefused(new Client(null, Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), Set.of(), Set.of(Role.ADMIN), false),
                "a public client (no secret) may only use authorization_code");
    }

    @Test
    void refusesAMachineClientWithoutRoles() {
        assertRefused(new Client(SECRET, Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), Set.of(), Set.of(), false),
                "roles are given to, and needed by, client_credentials clients only");
    }

    @Test
    void refusesRolesOnAClientActingForPeople() {
        assertRefused(new Client(SECRET, Set.of(GrantType.AUTHORIZATION_CODE), CALLBACK, Set.of(), Set.of(Role.ADMIN), false),
                "roles are given to, and needed by, client_credentials clients only");
    }

    @Test
    void refusesRefreshTokensWithoutAuthorizationCode() {
        assertRefused(new Client(SECRET, Set.of(GrantType.REFRESH_TOKEN, GrantType.CLIENT_CREDENTIALS), Set.of(), Set.of(),
                Set.of(Role.ADMIN), false), "refresh_token needs authorization_code");
    }

    @Test
    void refusesAnAuthorizationCodeClientWithoutRedirect() {
        assertRefused(new Client(SECRET, Set.of(GrantType.AUTHORIZATION_CODE), Set.of(), Set.of(), Set.of(), false),
                "authorization_code needs at least one redirect-uris entry");
    }

    @Test
    void refusesPlainHttpRedirectsExceptToThisMachine() {
        assertRefused(new Client(SECRET, Set.of(GrantType.AUTHORIZATION_CODE), Set.of(URI.create("http://app.example/cb")),
                Set.of(), Set.of(), false), "must use https (http only for localhost)");
        assertThat(only(new Client(SECRET, Set.of(GrantType.AUTHORIZATION_CODE),
                Set.of(URI.create("http://127.0.0.1:8090/cb")), Set.of(), Set.of(), false)).getRedirectUris())
                .containsExactly("http://127.0.0.1:8090/cb");
    }

    @Test
    void refusesAPlainSecret() {
        assertRefused(new Client("s3cret", Set.of(GrantType.CLIENT_CREDENTIALS), Set.of(), Set.of(), Set.of(Role.ADMIN), false),
                "polystore.identity.clients.app.secret: must be a strong password hash");
    }

    private static RegisteredClient only(Client client) {
        List<RegisteredClient> registered = new ConfiguredClients(identity(client)).registeredClients();
        assertThat(registered).hasSize(1);
        return registered.getFirst();
    }

    private static void assertRefused(Client client, String reason) {
        assertThatThrownBy(() -> new ConfiguredClients(identity(client)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("polystore.identity.clients.app")
                .hasMessageContaining(reason);
    }

    private static IdentityProperties identity(Client client) {
        return new IdentityProperties(URI.create("http://localhost:8080"), null, Duration.ofMinutes(15), Duration.ofHours(8),
                Duration.ofMinutes(2), List.of(), null, Map.of("app", client), null);
    }
}
