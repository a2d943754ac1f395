package io.polystore.gateway.routing;

import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpRequest;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Each route reaches its service at the path the service expects, with the caller's token and nothing else of its. */
@GatewayIntegrationTest
class RoutesIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @ParameterizedTest
    @CsvSource({
            "/api/orders/orders/7,        orders,  /orders/orders/7",
            "/api/catalog/products/7,     catalog, /products/7",
            "/api/audit/records,          audit,   /audit/records",
            "/api/sync/reconciliation,    sync,    /reconciliation"})
    void forwardsToTheServiceAtItsOwnPath(String path, String service, String servicePath) {
        JsonNode echoed = json(gateway.get(path + "?page=2&size=10", TestTokens.valid("root", "ADMIN")));

        assertThat(echoed.path("service").asString()).isEqualTo(service);
        assertThat(echoed.path("path").asString()).isEqualTo(servicePath);
        assertThat(echoed.path("query").asString()).isEqualTo("page=2&size=10");
        assertThat(echoed.path("bearer").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @CsvSource({
            "DELETE, /api/customers/alice/personal-data, /customers/alice/personal-data",
            "POST,   /api/personal-data/keys/rewrap,     /personal-data/keys/rewrap"})
    void forwardsPersonalDataRequestsToOrderService(String method, String path, String servicePath) {
        JsonNode echoed = json(gateway.send(method, path, TestTokens.valid("root", "ADMIN")));

        assertThat(echoed.path("service").asString()).isEqualTo("orders");
        assertThat(echoed.path("path").asString()).isEqualTo(servicePath);
    }

    @Test
    void keepsTheSignInCookieAndSpoofedForwardingHeadersFromTheServices() {
        JsonNode echoed = json(gateway.send(HttpRequest.newBuilder(gateway.uri("/api/catalog/products"))
                .header("Authorization", "Bearer " + TestTokens.valid("root", "ADMIN"))
                .header("Cookie", "POLYSTORE_SIGNIN=stolen-session")
                .header("X-Forwarded-For", "10.6.6.6")
                .build()));

        assertThat(echoed.path("cookie").asBoolean()).isFalse();
        assertThat(echoed.path("forwardedFor").asString()).doesNotContain("10.6.6.6");
    }
}
