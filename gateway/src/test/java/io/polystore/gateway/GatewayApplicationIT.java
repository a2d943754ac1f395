package io.polystore.gateway;

import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.testkit.spring.ServiceContractTests;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

@GatewayIntegrationTest
class GatewayApplicationIT extends ServiceContractTests {

    @Value("${local.server.port}")
    int port;

    /** What every service trusts by default (platform-service-defaults). */
    @Value("${spring.security.oauth2.resourceserver.jwt.issuer-uri}")
    String issuerTheServicesTrust;

    @Override
    protected String protectedPath() {
        return "/api/orders";
    }

    @Test
    void isReadyOnlyWithItsDatabase() {
        var readiness = GatewayHttp.json(GatewayHttp.on(port).get("/actuator/health/readiness", null));

        assertThat(readiness.path("components").path("db").path("status").asString()).isEqualTo("UP");
    }

    @Test
    void isTheIssuerTheServicesTrustByDefault() {
        var discovery = GatewayHttp.json(GatewayHttp.on(port).get("/.well-known/openid-configuration", null));

        assertThat(discovery.path("issuer").asString()).isEqualTo(issuerTheServicesTrust);
    }
}
