package io.polystore.gateway;

import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.testkit.spring.ServiceContractTests;

@GatewayIntegrationTest
class GatewayApplicationIT extends ServiceContractTests {

    @Override
    protected String protectedPath() {
        return "/api/orders";
    }
}
