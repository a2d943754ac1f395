package io.polystore.gateway.routing;

import io.polystore.gateway.support.ConstrainedGatewayTest;
import io.polystore.gateway.support.EchoUpstreams;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with several instances: requests go to each in turn, and one that finds its instance dead is sent to the
 * next, reads and writes with an {@code Idempotency-Key} also when the exchange broke; the caller never sees it. A
 * write with an {@code Idempotency-Key} that one instance refused (503) is offered to the other.
 */
@ConstrainedGatewayTest
class InstancesIT {

    /** Port 9 (discard) has no listener here: a dead instance, the address the sync route names. */
    private static final String DEAD = "http://127.0.0.1:9";

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @DynamicPropertySource
    static void instances(DynamicPropertyRegistry registry) {
        registry.add("polystore.gateway.routing.instances.sync", () -> DEAD + "," + EchoUpstreams.of("sync").url());
        registry.add("polystore.gateway.routing.instances.audit",
                () -> EchoUpstreams.of("audit").url() + "," + EchoUpstreams.of("catalog").url());
        registry.add("polystore.gateway.routing.instances.orders",
                () -> EchoUpstreams.of("orders").url() + "," + EchoUpstreams.of("catalog").url());
    }

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void requestsGoToEachInstanceInTurn() {
        String path = "/audit/records/" + UUID.randomUUID();

        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/api" + path, token("AUDITOR")).statusCode())
                    .isEqualTo(200);
        }

        assertThat(EchoUpstreams.of("audit").hits(path)).isEqualTo(2);
        assertThat(EchoUpstreams.of("catalog").hits(path)).isEqualTo(2);
    }

    @Test
    void aDeadInstanceCostsARetryOnTheNextNotAFailedRequest() {
        String read = "/runs/" + UUID.randomUUID();
        String idempotentWrite = "/runs/" + UUID.randomUUID();

        for (int i = 0; i < 2; i++) {
            assertThat(gateway.get("/api/sync" + read, admin()).statusCode()).isEqualTo(200);
            HttpRequest write = HttpRequest.newBuilder(gateway.uri("/api/sync" + idempotentWrite))
                    .header("Authorization", "Bearer " + admin()).header("Idempotency-Key", "key-" + i)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"repair\":false}")).build();
            assertThat(gateway.send(write).statusCode()).isEqualTo(200);
        }

        assertThat(EchoUpstreams.of("sync").hits(read)).isEqualTo(2);
        assertThat(EchoUpstreams.of("sync").hits(idempotentWrite)).isEqualTo(2);
    }

    @Test
    void aWriteWithAnIdempotencyKeyRefusedWith503IsOfferedToTheOtherInstanceOnceOneWithoutNever() {
        String keyed = "/orders/" + UUID.randomUUID() + "/status/503";
        String unkeyed = "/orders/" + UUID.randomUUID() + "/status/503";
        String customer = token("CUSTOMER");

        HttpRequest write = HttpRequest.newBuilder(gateway.uri("/api" + keyed))
                .header("Authorization", "Bearer " + customer).header("Idempotency-Key", "key-" + UUID.randomUUID())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        assertThat(gateway.send(write).statusCode()).isEqualTo(503);
        assertThat(gateway.send("POST", "/api" + unkeyed, customer).statusCode()).isEqualTo(503);

        assertThat(EchoUpstreams.of("orders").hits(keyed) + EchoUpstreams.of("catalog").hits(keyed)).isEqualTo(2);
        assertThat(EchoUpstreams.of("orders").hits(unkeyed) + EchoUpstreams.of("catalog").hits(unkeyed)).isEqualTo(1);
    }

    private static String admin() {
        return token("ADMIN");
    }

    /** A user of a client of their own: the gateway's per-client rate limit (8 a minute here) is not what is tested. */
    private static String token(String role) {
        return TestTokens.signed(TestTokens.ACTIVE, claims -> claims.subject(role.toLowerCase() + "-" + UUID.randomUUID())
                .claim("client_id", "client-" + UUID.randomUUID()).claim("roles", List.of(role)));
    }
}
