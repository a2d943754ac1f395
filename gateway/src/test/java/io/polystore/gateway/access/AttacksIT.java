package io.polystore.gateway.access;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.polystore.events.AccessDecided;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Value;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Forged, stale and misdirected tokens, path tricks against the rules and oversized requests: each is refused,
 * never reaches a service, and leaves a DENY access decision on {@code audit.events}.
 */
@GatewayIntegrationTest
class AttacksIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;
    String path;

    @BeforeEach
    void setUp() {
        gateway = GatewayHttp.on(port);
        path = "/api/orders/attack-" + UUID.randomUUID();
    }

    @Test
    void refusesAnExpiredToken() {
        Instant past = Instant.now().minus(Duration.ofHours(1));
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims)
                .issueTime(Date.from(past)).notBeforeTime(Date.from(past))
                .expirationTime(Date.from(past.plus(Duration.ofMinutes(15))))));
    }

    /** Within a minute of its expiry: Spring's default leeway of 60 s would take it, the platform's few seconds do not. */
    @Test
    void refusesATokenExpiredTenSecondsAgo() {
        Instant now = Instant.now();
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(5)))).notBeforeTime(Date.from(now.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(now.minusSeconds(10)))));
    }

    /** Correctly signed but without {@code exp}: it would never expire. */
    @Test
    void refusesATokenWithoutExpiry() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims).expirationTime(null)));
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims)
                .issueTime(Date.from(Instant.now().plus(Duration.ofMinutes(10))))));
    }

    @Test
    void refusesATokenNotYetValid() {
        Instant later = Instant.now().plus(Duration.ofHours(1));
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims)
                .notBeforeTime(Date.from(later)).expirationTime(Date.from(later.plus(Duration.ofMinutes(15))))));
    }

    @Test
    void refusesATokenForAnotherAudience() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims).audience("another-api")));
    }

    @Test
    void refusesATokenWithoutAudience() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims).audience(List.of())));
    }

    @Test
    void refusesATokenFromAnotherIssuer() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.ACTIVE, claims -> customer(claims).issuer("https://evil.example")));
    }

    @Test
    void refusesAnUnsignedToken() {
        assertRefusedAndAudited(new PlainJWT(customer(TestTokens.validClaims()).build()).serialize());
    }

    @Test
    void refusesATokenReSignedWithAnotherKeyUnderTheActiveKeyId() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.unknownKey("test-key-active"), this::customer));
    }

    @Test
    void refusesATokenSignedWithAnUnknownKey() {
        assertRefusedAndAudited(TestTokens.signed(TestTokens.unknownKey("attacker"), this::customer));
    }

    @Test
    void refusesAnHmacTokenKeyedWithThePublishedPublicKey() throws Exception {
        byte[] publicKey = TestTokens.ACTIVE.toRSAPublicKey().getEncoded();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("test-key-active").build(),
                customer(TestTokens.validClaims()).build());
        jwt.sign(new MACSigner(publicKey));
        assertRefusedAndAudited(jwt.serialize());
    }

    @Test
    void refusesRolesAddedByTheHolder() {
        String[] parts = TestTokens.valid("mallory", "CUSTOMER").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("[\"CUSTOMER\"]", "[\"CUSTOMER\",\"ADMIN\"]");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        path = "/api/sync/attack-" + UUID.randomUUID();

        assertRefusedAndAudited(tampered);
    }

    @Test
    void acceptsATokenOfTheRetiredKeyUntilItExpires() {
        String token = TestTokens.signed(TestTokens.PREVIOUS, this::customer);

        HttpResponse<String> response = gateway.get(path, token);

        assertThat(response.statusCode()).isEqualTo(200);
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.principal().equals("mallory")
                && event.status() == 200 && event.route().equals("orders"));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.ALLOW);
        assertThat(decision.clientId()).isEqualTo("test-client");
    }

    @Test
    void refusesAValidTokenWithoutTheRoleAsForbidden() {
        HttpResponse<String> response = gateway.get("/api/audit/records-" + UUID.randomUUID(), TestTokens.valid("mallory", "CUSTOMER"));

        assertThat(response.statusCode()).isEqualTo(403);
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.route().equals(response.uri().getPath()));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
        assertThat(decision.principal()).isEqualTo("mallory");
        assertThat(decision.status()).isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/orders/../audit/records-%s",
            "/api/orders/%%2e%%2e/audit/records-%s",
            "/api/orders/%%2E%%2E/audit/records-%s",
            "/api/orders/.%%2e/audit/records-%s",
            "/api/orders%%2F..%%2Faudit/records-%s",
            "/api/orders/..%%2Faudit/records-%s",
            "/api/orders/%%252e%%252e/audit/records-%s",
            "/api/orders/..;/audit/records-%s",
            "/api/orders;jsessionid=1/../audit/records-%s",
            "/api/orders/./../audit/records-%s",
            "/api//audit/records-%s",
            "/api/orders/%%00/../audit/records-%s"})
    void pathTricksNeverReachAnotherRoute(String trick) {
        String marker = UUID.randomUUID().toString();
        String requestPath = trick.formatted(marker);

        int status = gateway.raw("GET " + requestPath + " HTTP/1.1\r\nAuthorization: Bearer "
                + TestTokens.valid("mallory", "CUSTOMER"));

        assertThat(status).as(requestPath).isEqualTo(400);
        assertThat(EchoUpstreams.of("audit").hits("/audit/records-" + marker)).isZero();
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.route().contains(marker));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
        assertThat(decision.status()).isEqualTo(400);
    }

    @Test
    void refusesARequestLineTomcatCannotParseAndStillAuditsIt() {
        long before = refusedUnparsedRequests();

        int status = gateway.raw("GET /api/orders/..\\audit/records HTTP/1.1");

        assertThat(status).isEqualTo(400);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> refusedUnparsedRequests() > before);
    }

    private static long refusedUnparsedRequests() {
        return AuditEvents.get().decisions().stream()
                .filter(event -> event.decision() == AccessDecided.Decision.DENY && event.status() == 400
                        && event.route().equals("unknown"))
                .count();
    }

    /** This gateway names no allowed origin: a page elsewhere gets no policy that would let it call. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/catalog/products", "/oauth2/token", "/login", "/actuator/health"})
    void refusesCrossOriginPreflightsWhenNoOriginIsAllowed(String target) {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(target))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization")
                .build());

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Access-Control-Allow-Methods")).isEmpty();
    }

    @Test
    void refusesOversizedHeaders() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + TestTokens.valid("mallory", "CUSTOMER"))
                .header("X-Padding", "x".repeat(20_000)).build());

        assertThat(response.statusCode()).isEqualTo(400);
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.route().equals(path));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
    }

    @Test
    void refusesADeclaredOversizedBodyBeforeReadingIt() {
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + TestTokens.valid("mallory", "CUSTOMER"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(AuditEvents.get().awaitDecision(event -> event.route().equals(path)).decision())
                .isEqualTo(AccessDecided.Decision.DENY);
    }

    @Test
    void refusesAStreamedBodyOnceItPassesTheLimit() {
        String streamer = "streamer-" + UUID.randomUUID();
        HttpResponse<String> response = gateway.send(HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + TestTokens.valid(streamer, "CUSTOMER"))
                .header("Content-Type", "application/octet-stream")
                // Without a declared length, the body goes in chunks and is counted as the gateway forwards it.
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])))
                .build());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.principal().equals(streamer));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
        assertThat(decision.status()).isEqualTo(413);
    }

    private JWTClaimsSet.Builder customer(JWTClaimsSet.Builder claims) {
        return claims.subject("mallory").claim("roles", List.of("CUSTOMER"));
    }

    private void assertRefusedAndAudited(String token) {
        HttpResponse<String> response = gateway.get(path, token);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer").contains("invalid_token"));
        String servicePath = URI.create(path).getPath().replaceFirst("^/api/sync", "").replaceFirst("^/api", "");
        assertThat(EchoUpstreams.of("orders").hits(servicePath) + EchoUpstreams.of("sync").hits(servicePath)).isZero();
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.route().equals(path));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.DENY);
        assertThat(decision.principal()).isEqualTo(AccessDecided.ANONYMOUS);
        assertThat(decision.status()).isEqualTo(401);
    }
}
