package io.polystore.gateway.routing;

import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** One Swagger UI at the gateway, listing every service's API, each usable through the gateway with its sign-in. */
@GatewayIntegrationTest
class SwaggerUiIT {

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void listsEveryServicesApiAndSignsInWithPkce() {
        JsonNode config = json(gateway.get("/v3/api-docs/swagger-config", null));

        assertThat(config.path("urls").valueStream().map(url -> url.path("url").asString()))
                .containsExactlyInAnyOrder("/api/orders/v3/api-docs", "/api/catalog/v3/api-docs",
                        "/api/audit/v3/api-docs", "/api/sync/v3/api-docs", "/v3/api-docs");
        assertThat(gateway.get("/swagger-ui/index.html", null).statusCode()).isEqualTo(200);
        String initializer = gateway.get("/swagger-ui/swagger-initializer.js", null).body();
        assertThat(initializer).as(initializer).contains("\"clientId\":\"swagger-ui\"")
                .contains("\"usePkceWithAuthorizationCodeGrant\":true");
    }

    @Test
    void servesEachServicesDocumentRewrittenForTheGateway() {
        HttpResponse<String> response = gateway.get("/api/orders/v3/api-docs", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode document = json(response);
        assertThat(document.path("info").path("title").asString()).isEqualTo("orders API");
        assertThat(document.path("servers").valueStream().map(server -> server.path("url").asString())).containsExactly("/api");
        JsonNode flow = document.path("components").path("securitySchemes").path("gateway-oauth2")
                .path("flows").path("authorizationCode");
        assertThat(flow.path("authorizationUrl").asString()).isEqualTo("http://localhost:8080/oauth2/authorize");
        assertThat(flow.path("tokenUrl").asString()).isEqualTo("http://localhost:8080/oauth2/token");
        assertThat(document.path("security").toString()).contains("bearer-jwt").contains("gateway-oauth2");
        assertThat(document.path("paths").path("/things/{id}").path("get").path("security").toString())
                .contains("gateway-oauth2");
    }

    @Test
    void documentsItsOwnOAuth2AndSignInEndpoints() {
        JsonNode document = json(gateway.get("/v3/api-docs", null));

        assertThat(document.path("servers").get(0).path("url").asString()).isEqualTo("/");
        assertThat(document.path("paths").propertyNames()).contains("/oauth2/token", "/oauth2/authorize", "/oauth2/jwks",
                "/.well-known/openid-configuration", "/userinfo", "/oauth2/revoke", "/oauth2/introspect", "/login");
        assertThat(document.at("/paths/~1oauth2~1token/post/responses/401/$ref").asString())
                .isEqualTo("#/components/responses/OAuth2Error");
        assertThat(document.at("/paths/~1api~1account/post/security").toString()).as("sign-up needs no token").isEqualTo("[]");
        assertThat(document.at("/paths/~1api~1account/post/responses").propertyNames()).contains("201", "400", "409", "429")
                .doesNotContain("401", "403");
        assertThat(document.at("/paths/~1api~1account/get/responses/429/$ref").asString())
                .isEqualTo("#/components/responses/TooManyRequests");
        // Reading one's account is forwarded to the home region: what that can answer is documented too.
        assertThat(document.at("/paths/~1api~1account/get/description").asString()).contains("Polystore-Forwarded-From");
        assertThat(document.at("/paths/~1api~1account/get/responses").propertyNames()).contains("502", "503")
                .doesNotContain("504");
        assertThat(document.at("/paths/~1api~1account/get/responses/503/description").asString())
                .contains("urn:polystore:problem:home-region-unavailable");
        assertThat(document.at("/paths/~1api~1account/get/responses/503/headers").has("Retry-After")).isTrue();
        assertThat(document.at("/paths/~1api~1account/post/responses").propertyNames()).doesNotContain("502", "503");
        assertThat(document.at("/components/schemas/Problem/properties/errors/items/$ref").asString())
                .isEqualTo("#/components/schemas/FieldProblem");
    }

    @Test
    void pointsEachServicesDocumentAtItsRouteOnTheGateway() {
        assertThat(json(gateway.get("/api/catalog/v3/api-docs", null)).path("servers").get(0).path("url").asString())
                .isEqualTo("/api/catalog");
        assertThat(json(gateway.get("/api/audit/v3/api-docs", null)).path("servers").get(0).path("url").asString())
                .isEqualTo("/api");
        assertThat(json(gateway.get("/api/sync/v3/api-docs", null)).path("servers").get(0).path("url").asString())
                .isEqualTo("/api/sync");
    }
}
