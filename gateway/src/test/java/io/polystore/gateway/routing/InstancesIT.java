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
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service with several instances: requests go to each in turn, and one that finds its instance dead is sent to the
 * next, reads and writes with an {@code Idempotency-Key} also when the exchange broke; the caller never sees it.
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
    }

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void requestsGoToEachInstanceInTurn() {
        String path = "/audit/records/" + UUID.randomUUID();

        for (int i = 0; i < 4; i++) {
            assertThat(gateway.get("/api" + path, TestTokens.valid("auditor-" + UUID.randomUUID(), "AUDITOR")).statusCode())
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

    private static String admin() {
        return TestTokens.valid("admin-" + UUID.randomUUID(), "ADMIN");
    }
}
