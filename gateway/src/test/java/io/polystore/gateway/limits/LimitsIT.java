package io.polystore.gateway.limits;

import io.polystore.events.AccessDecided;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.ConstrainedGatewayTest;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Rate limits per user, client and address, security headers, and cross-origin access from configuration. */
@ConstrainedGatewayTest
class LimitsIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void limitsEachUserAndSaysWhenToRetry() {
        String user = "eager-" + UUID.randomUUID();
        String token = token(user, "client-" + UUID.randomUUID());
        for (int call = 0; call < 5; call++) {
            assertThat(gateway.get("/api/catalog/products", token).statusCode()).isEqualTo(200);
        }

        HttpResponse<String> limited = gateway.get("/api/catalog/products", token);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(limited.body()).contains("Too many requests per user");
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.principal().equals(user) && event.status() == 429);
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
    }

    @Test
    void limitsSignUpsPerAddress() {
        // Through a proxy, from an address of its own: the other tests here spend 127.0.0.1's allowance without a token.
        String address = "203.0.113." + (1 + new java.util.Random().nextInt(254));
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int attempt = 0; attempt < 3; attempt++) {
            String username = "signup-" + UUID.randomUUID().toString().substring(0, 8);
            responses.add(gateway.send(HttpRequest.newBuilder(gateway.uri("/api/account"))
                    .header("Content-Type", "application/json")
                    .header("X-Forwarded-For", address)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username
                            + "\",\"password\":\"long enough passphrase\"}")).build()));
        }

        assertThat(responses.subList(0, 2)).extracting(HttpResponse::statusCode).containsOnly(201);
        HttpResponse<String> limited = responses.get(2);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 3600L);
        assertThat(limited.body()).contains("Too many accounts were created from this address");
    }

    @Test
    void limitsEachClientOverAllItsUsers() {
        String client = "busy-" + UUID.randomUUID();
        List<HttpResponse<String>> responses = new ArrayList<>();
        for (int user = 0; user < 9; user++) {
            responses.add(gateway.get("/api/catalog/products", token("user-" + UUID.randomUUID(), client)));
        }

        assertThat(responses.subList(0, 8)).extracting(HttpResponse::statusCode).containsOnly(200);
        assertThat(responses.get(8).statusCode()).isEqualTo(429);
        assertThat(responses.get(8).body()).contains("Too many requests per client");
    }

    @Test
    void limitsCallersWithoutATokenByAddress() {
        List<Integer> statuses = new ArrayList<>();
        for (int call = 0; call < 8; call++) {
            statuses.add(gateway.get("/api/catalog/products", null).statusCode());
        }

        assertThat(statuses).contains(429);
        assertThat(statuses.stream().filter(status -> status != 429)).hasSizeLessThanOrEqualTo(5);
    }

    @Test
    void sendsSecurityHeadersAlsoWithRefusals() {
        String token = token("header-" + UUID.randomUUID(), "client-" + UUID.randomUUID());
        List<HttpHeaders> responses = new ArrayList<>();
        for (int call = 0; call < 6; call++) {
            responses.add(gateway.get("/api/catalog/products", token).headers());
        }

        for (HttpHeaders headers : List.of(responses.getFirst(), responses.getLast())) {
            assertThat(headers.firstValue("Content-Security-Policy")).hasValueSatisfying(
                    csp -> assertThat(csp).contains("default-src 'self'").contains("frame-ancestors 'none'"));
            assertThat(headers.firstValue("X-Content-Type-Options")).hasValue("nosniff");
            assertThat(headers.firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(headers.firstValue("Referrer-Policy")).hasValue("no-referrer");
            assertThat(headers.firstValue("Permissions-Policy")).isPresent();
        }
        assertThat(responses.getLast().firstValue("Retry-After")).isPresent();
    }

    @Test
    void answersCorsPreflightsForConfiguredOriginsOnly() {
        HttpResponse<String> allowed = preflight("https://shop.example");
        HttpResponse<String> refused = preflight("https://evil.example");

        assertThat(allowed.statusCode()).isEqualTo(200);
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://shop.example");
        assertThat(allowed.headers().firstValue("Access-Control-Allow-Headers").orElse("")).containsIgnoringCase("authorization");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    private HttpResponse<String> preflight(String origin) {
        return gateway.send(HttpRequest.newBuilder(gateway.uri("/api/catalog/products"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization")
                .build());
    }

    private static String token(String subject, String client) {
        return TestTokens.signed(TestTokens.ACTIVE, claims -> claims.subject(subject).claim("client_id", client)
                .claim("roles", List.of("CUSTOMER")));
    }
}
