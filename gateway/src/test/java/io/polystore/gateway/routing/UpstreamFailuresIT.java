package io.polystore.gateway.routing;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.polystore.events.AccessDecided;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.ConstrainedGatewayTest;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** A service that is down, failing or slow: problem details from the gateway, retries for reads only, breakers. */
@ConstrainedGatewayTest
class UpstreamFailuresIT {

    @Value("${local.server.port}")
    int port;

    @Autowired
    CircuitBreakerRegistry breakers;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void answers503ProblemDetailsWhenTheServiceIsDown() {
        String admin = "admin-" + UUID.randomUUID();

        HttpResponse<String> response = gateway.get("/api/sync/status", token(admin, "ADMIN"));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(response).path("detail").asString()).isEqualTo("The sync service is unavailable; retry later.");
        AccessDecided decision = AuditEvents.get().awaitDecision(event -> event.principal().equals(admin));
        assertThat(decision.route()).isEqualTo("sync");
        assertThat(decision.status()).isEqualTo(503);
        assertThat(decision.decision()).isEqualTo(AccessDecided.Decision.ALLOW);
    }

    @Test
    void retriesAFailedReadButNeverAWrite() {
        String read = "/orders/" + UUID.randomUUID() + "/status/503";
        String write = "/orders/" + UUID.randomUUID() + "/status/503";
        String customer = token("customer-" + UUID.randomUUID(), "CUSTOMER");

        assertThat(gateway.get("/api" + read, customer).statusCode()).isEqualTo(503);
        assertThat(gateway.send("POST", "/api" + write, customer).statusCode()).isEqualTo(503);

        assertThat(EchoUpstreams.of("orders").hits(read)).isEqualTo(3);
        assertThat(EchoUpstreams.of("orders").hits(write)).isEqualTo(1);
    }

    @Test
    void answers504ProblemDetailsWhenTheServiceIsTooSlow() {
        String slow = "/orders/" + UUID.randomUUID() + "/slow/3000";

        HttpResponse<String> response = gateway.get("/api" + slow, token("customer-" + UUID.randomUUID(), "CUSTOMER"));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(EchoUpstreams.of("orders").hits(slow)).isEqualTo(1);
    }

    @Test
    void opensTheBreakerAfterRepeatedFailuresAndThenSparesTheService() {
        String auditor = token("auditor-" + UUID.randomUUID(), "AUDITOR");
        for (int call = 0; call < 3; call++) {
            assertThat(gateway.get("/api/audit/" + UUID.randomUUID() + "/status/502", auditor).statusCode()).isEqualTo(502);
        }
        assertThat(breakers.circuitBreaker("audit").getState()).isEqualTo(CircuitBreaker.State.OPEN);

        String spared = "/audit/records-" + UUID.randomUUID();
        HttpResponse<String> response = gateway.get("/api" + spared, auditor);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(json(response).path("status").asInt()).isEqualTo(503);
        assertThat(EchoUpstreams.of("audit").hits(spared)).isZero();
    }

    @Test
    void passesOnAServiceSheddingLoadWithoutOpeningItsBreaker() {
        String customer = token("customer-" + UUID.randomUUID(), "CUSTOMER");
        for (int call = 0; call < 5; call++) {
            HttpResponse<String> response = gateway.send("POST", "/api/orders/" + UUID.randomUUID() + "/busy/5", customer);
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        }
        assertThat(breakers.circuitBreaker("orders").getState()).isNotEqualTo(CircuitBreaker.State.OPEN);
    }

    /** Each test its own client, so that one test's calls never use up another's client rate limit. */
    private static String token(String subject, String role) {
        return TestTokens.signed(TestTokens.ACTIVE, claims -> claims.subject(subject)
                .claim("client_id", "client-" + UUID.randomUUID()).claim("roles", List.of(role)));
    }
}
