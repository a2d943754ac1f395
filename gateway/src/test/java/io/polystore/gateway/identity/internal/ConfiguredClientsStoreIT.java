package io.polystore.gateway.identity.internal;

import io.polystore.gateway.support.GatewayDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;

import javax.sql.DataSource;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gateways started at the same moment ({@code ./polystore --ha}) each write the configured clients into the one
 * database: none may fail its start because another inserted a client first.
 */
class ConfiguredClientsStoreIT {

    private static final int GATEWAYS = 4;
    private static DataSource dataSource;

    @BeforeAll
    static void migrate() {
        dataSource = GatewayDatabase.migrated("gateway_clients", "region-1");
    }

    @Test
    void gatewaysStartingTogetherEachStoreTheClientsWithoutFailing() throws Exception {
        try (ExecutorService executor = Executors.newFixedThreadPool(GATEWAYS)) {
            // Each round a new client, so that every round races for its insert.
            for (int round = 0; round < 20; round++) {
                RegisteredClient client = client("app-" + UUID.randomUUID());
                CyclicBarrier together = new CyclicBarrier(GATEWAYS);
                List<Callable<Void>> starts = Collections.nCopies(GATEWAYS, () -> {
                    JdbcRegisteredClientRepository repository = new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource));
                    together.await();
                    ConfiguredClients.store(repository, client);
                    return null;
                });
                for (Future<Void> start : executor.invokeAll(starts)) {
                    start.get();
                }
                assertThat(new JdbcRegisteredClientRepository(new JdbcTemplate(dataSource)).findByClientId(client.getClientId()))
                        .isNotNull();
            }
        }
    }

    private static RegisteredClient client(String id) {
        return RegisteredClient.withId(id).clientId(id).clientName(id)
                .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri("https://app.example/callback")
                .clientSettings(ClientSettings.builder().requireProofKey(true).build())
                .build();
    }
}
