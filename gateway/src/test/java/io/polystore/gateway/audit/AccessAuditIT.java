package io.polystore.gateway.audit;

import io.polystore.events.AccessDecided;
import io.polystore.events.EventEnvelope;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every access decision reaches {@code audit.events} on the real broker, in the platform's event format. */
@GatewayIntegrationTest
class AccessAuditIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void publishesAnAllowedRequestWithWhoWhereAndHowLong() {
        String user = "auditee-" + UUID.randomUUID();
        Instant before = Instant.now();

        assertThat(gateway.get("/api/catalog/products/42", TestTokens.valid(user, "CUSTOMER")).statusCode()).isEqualTo(200);

        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.principal().equals(user));
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.ALLOW);
        assertThat(decision.clientId()).isEqualTo("test-client");
        assertThat(decision.method()).isEqualTo("GET");
        assertThat(decision.route()).isEqualTo("catalog");
        assertThat(decision.status()).isEqualTo(200);
        assertThat(decision.latencyMicros()).isPositive();
        assertThat(decision.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(decision.occurredAt()).isBetween(before, Instant.now());
        EventEnvelope envelope = AuditEvents.get().envelopes().stream().filter(e -> e.data().equals(decision)).findFirst().orElseThrow();
        assertThat(envelope.source()).hasToString("/gateway");
        assertThat(envelope.subject()).isEqualTo(user);
        assertThat(envelope.type()).isEqualTo("io.polystore.audit.AccessDecided");
    }

    @Test
    void keepsProbesOutOfTheTrailButNotTheirDenials() {
        String marker = "/api/unknown-" + UUID.randomUUID();
        assertThat(gateway.get("/actuator/health", null).statusCode()).isEqualTo(200);
        assertThat(gateway.send("DELETE", "/actuator/health", null).statusCode()).isEqualTo(401);
        // Anonymous decisions share one key, hence one partition: once the marker arrives, everything before it has.
        assertThat(gateway.get(marker, null).statusCode()).isEqualTo(401);

        AuditEvents.get().awaitDecision(event -> event.route().equals(marker));
        assertThat(AuditEvents.get().decisions()).noneMatch(event -> event.route().equals("/actuator/health")
                && event.method().equals("GET"));
        assertThat(AuditEvents.get().decisions()).anyMatch(event -> event.route().equals("/actuator/health")
                && event.method().equals("DELETE") && event.decision() == AccessDecided.Decision.DENY);
    }

    @Test
    void publishesTokenRequestsWithTheClient() {
        assertThat(gateway.postForm("/oauth2/token", Map.of("grant_type", "client_credentials"),
                "demo-machine", "demo-machine-secret").statusCode()).isEqualTo(200);
        assertThat(gateway.postForm("/oauth2/token", Map.of("grant_type", "client_credentials"),
                "demo-machine", "wrong-secret").statusCode()).isEqualTo(401);

        AccessDecided issued = AuditEvents.get().awaitDecision(event -> event.route().equals("/oauth2/token")
                && event.principal().equals("demo-machine") && event.status() == 200);
        assertThat(issued.clientId()).isEqualTo("demo-machine");
        assertThat(issued.decision()).isEqualTo(AccessDecided.Decision.ALLOW);
        AccessDecided refused = AuditEvents.get().awaitDecision(event -> event.route().equals("/oauth2/token")
                && event.status() == 401);
        assertThat(refused.decision()).isEqualTo(AccessDecided.Decision.DENY);
        assertThat(refused.principal()).isEqualTo(AccessDecided.ANONYMOUS);
    }

    @Test
    void countsPublishedAndDroppedDecisions() {
        AuditEvents.get().awaitDecision(event -> true);

        String metrics = gateway.get("/actuator/prometheus", null).body();

        assertThat(metrics).contains("polystore_gateway_audit_published_total")
                .contains("polystore_gateway_audit_dropped_total")
                .contains("polystore_gateway_audit_buffered");
    }
}
