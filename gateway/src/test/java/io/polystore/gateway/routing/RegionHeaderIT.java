package io.polystore.gateway.routing;

import io.polystore.gateway.support.EchoUpstream;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import io.polystore.servicedefaults.region.RegionHeaderFilter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly one {@code Polystore-Region} on every response: the region of the service that answered a proxied request
 * (the stand-in services name another region than the gateway's), the gateway's own where the gateway answered.
 */
@GatewayIntegrationTest
class RegionHeaderIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void aProxiedResponseNamesOnlyTheRegionOfTheServiceThatAnswered() {
        String admin = TestTokens.valid("root", "ADMIN");

        assertThat(regions(gateway.get("/api/orders/orders/7", admin))).containsExactly(EchoUpstream.REGION);
        assertThat(regions(gateway.get("/api/catalog/status/404", admin))).containsExactly(EchoUpstream.REGION);
        assertThat(regions(gateway.get("/api/orders/v3/api-docs", null))).containsExactly(EchoUpstream.REGION);
    }

    @Test
    void whatTheGatewayAnswersItselfNamesTheGatewaysRegion() {
        assertThat(regions(gateway.get("/api/orders/orders/7", null))).as("refused: no token")
                .containsExactly(GatewayIntegrationTest.REGION);
        assertThat(regions(gateway.get("/api/account", TestTokens.valid("alice", "CUSTOMER"))))
                .containsExactly(GatewayIntegrationTest.REGION);
        assertThat(regions(gateway.get("/actuator/health", null))).containsExactly(GatewayIntegrationTest.REGION);
    }

    private static Iterable<String> regions(HttpResponse<String> response) {
        return response.headers().allValues(RegionHeaderFilter.HEADER);
    }
}
