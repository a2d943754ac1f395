package io.polystore.gateway.identity;

import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import io.polystore.gateway.support.UseEchoUpstreams;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code polystore.identity.external-issuer-uri} set, the gateway trusts that issuer's tokens (here the
 * testkit's, standing in for Keycloak), applies the same rules, and issues nothing itself. No signing key needed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePostgres(database = GatewayDatabase.NAME)
@UseKafka
@UseEchoUpstreams
class ExternalIssuerIT {

    @DynamicPropertySource
    static void trustTheTestIssuer(DynamicPropertyRegistry properties) {
        properties.add("polystore.identity.external-issuer-uri", () -> SharedServers.tokens().issuer());
    }

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void acceptsTheExternalIssuersTokensUnderTheSameRules() {
        String customer = SharedServers.tokens().tokenFor("kim", "CUSTOMER");

        var allowed = gateway.get("/api/orders/orders", customer);

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(json(allowed).path("service").asString()).isEqualTo("orders");
        assertThat(gateway.get("/api/audit/records", customer).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesTokensSignedByTheGatewaysOwnKeys() {
        assertThat(gateway.get("/api/orders/orders", TestTokens.valid("kim", "CUSTOMER")).statusCode()).isEqualTo(401);
        assertThat(gateway.get("/api/orders/orders", SharedServers.tokens().tokenSignedByUnknownKey("kim", "CUSTOMER"))
                .statusCode()).isEqualTo(401);
    }

    /** The platform's token rules hold for the external issuer's tokens too. */
    @Test
    void refusesTheExternalIssuersTokensThatBreakTheTokenRules() {
        Instant now = Instant.now();
        var issuer = SharedServers.tokens();
        List<String> refused = List.of(
                issuer.token(claims -> claims.subject("kim").claim("roles", List.of("CUSTOMER")).expirationTime(null)),
                issuer.token(claims -> claims.subject("kim").claim("roles", List.of("CUSTOMER"))
                        .issueTime(Date.from(now.minusSeconds(600))).expirationTime(Date.from(now.minusSeconds(10)))),
                issuer.token(claims -> claims.subject("kim").claim("roles", List.of("CUSTOMER")).audience("account")),
                issuer.token(claims -> claims.subject("kim").claim("roles", List.of("CUSTOMER")).issuer("https://evil.example")));

        assertThat(refused).allSatisfy(token -> assertThat(gateway.get("/api/orders/orders", token).statusCode()).isEqualTo(401));
    }

    @Test
    void issuesNoTokensItself() {
        assertThat(gateway.postForm("/oauth2/token", Map.of("grant_type", "client_credentials"), "demo-machine",
                "demo-machine-secret").statusCode()).isEqualTo(401);
        assertThat(gateway.get("/.well-known/openid-configuration", null).statusCode()).isEqualTo(401);
        assertThat(gateway.getHtml("/login").statusCode()).isEqualTo(401);
        assertThat(gateway.send("POST", "/api/account", null).statusCode()).as("no accounts here").isEqualTo(404);
    }

    @Test
    void stillRewritesTheServicesDocumentsForTheGateway() {
        JsonNode document = json(gateway.get("/api/orders/v3/api-docs", null));

        assertThat(document.path("servers").get(0).path("url").asString()).isEqualTo("/api");
        assertThat(EchoUpstreams.of("orders").hits("/v3/api-docs")).isPositive();
    }
}
