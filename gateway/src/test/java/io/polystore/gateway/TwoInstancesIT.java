package io.polystore.gateway;

import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayDatabase;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.platform.GatewaySignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateway instances on one database, as the chart runs them behind one Service: a person's sign-in begun at one
 * finishes at the other, the code and refresh token one issued are redeemed at the other, and a rate limit of N
 * admits N in all, whichever instance the requests reach.
 */
class TwoInstancesIT {

    private static final String CALLBACK = "http://127.0.0.1:8090/callback";
    private static final int PER_USER = 4;
    private static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private static GatewayHttp first;
    private static GatewayHttp second;

    @BeforeAll
    static void startTwoInstances() {
        // One after the other: the first migrates the database and seeds the demo accounts.
        first = GatewayHttp.on(start());
        second = GatewayHttp.on(start());
    }

    @AfterAll
    static void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void aSignInBegunAtOneInstanceFinishesAtTheOtherWhoseCodeAndRefreshTokenTheFirstRedeems() {
        String verifier = GatewaySignIn.codeVerifier();
        String code = GatewaySignIn.authorizationCode(first.uri("/"), second.uri("/"), "alice", "polystore",
                "demo-web", CALLBACK, "openid", verifier);

        HttpResponse<String> tokens = second.postForm("/oauth2/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", CALLBACK, "code_verifier", verifier), "demo-web", "demo-web-secret");
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        HttpResponse<String> refreshed = first.postForm("/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", json(tokens).path("refresh_token").asString()), "demo-web", "demo-web-secret");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);

        String accessToken = json(refreshed).path("access_token").asString();
        assertThat(first.get("/api/orders/orders", accessToken).statusCode()).isEqualTo(200);
        assertThat(second.get("/api/orders/orders", accessToken).statusCode()).isEqualTo(200);
    }

    @Test
    void aRateLimitOfNAdmitsNInAllAcrossTheInstances() {
        String token = TestTokens.valid("customer-" + UUID.randomUUID(), "CUSTOMER");
        List<Integer> statuses = new ArrayList<>();

        for (int i = 0; i < PER_USER + 2; i++) {
            statuses.add((i % 2 == 0 ? first : second).get("/api/orders/orders", token).statusCode());
        }

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(PER_USER);
        assertThat(statuses).filteredOn(status -> status == 429).hasSize(2);
    }

    private static int start() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers(),
                "--polystore.identity.signing-keys[0].id=test-key-active",
                "--polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
                "--polystore.identity.demo-tokens-directory=target/demo-tokens-two-instances",
                "--polystore.gateway.limits.per-user.requests=" + PER_USER,
                "--polystore.gateway.limits.per-user.per=60s",
                "--polystore.services.orders=" + EchoUpstreams.of("orders").url()));
        arguments.addAll(GatewayDatabase.arguments("gateway_two_instances"));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).profiles("local")
                .run(arguments.toArray(String[]::new));
        instances.add(context);
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }
}
