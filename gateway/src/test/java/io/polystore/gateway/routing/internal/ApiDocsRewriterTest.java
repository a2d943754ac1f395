package io.polystore.gateway.routing.internal;

import io.polystore.gateway.identity.SignInEndpoints;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ApiDocsRewriterTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final SignInEndpoints GATEWAY = () -> Optional.of(new SignInEndpoints.Endpoints(
            URI.create("https://gw.example/oauth2/authorize"), URI.create("https://gw.example/oauth2/token")));
    static final String DOCUMENT = """
            {"openapi":"3.1.0","servers":[{"url":"http://10.0.0.7:8081"}],"security":[{"bearer-jwt":[]}],
             "paths":{"/orders":{"get":{"security":[{"bearer-jwt":[]}],"responses":{"200":{"description":"OK"},
                                  "503":{"description":"The store is down"}}},"post":{}},
                      "/open":{"get":{"security":[]}}},
             "components":{"securitySchemes":{"bearer-jwt":{"type":"http","scheme":"bearer"}}}}""";

    @Test
    void pointsTheDocumentAtTheGatewayAndAddsItsSignIn() {
        JsonNode rewritten = rewrite(GATEWAY);

        assertThat(rewritten.path("servers").toString()).isEqualTo("[{\"url\":\"/api\",\"description\":\"through the gateway\"}]");
        JsonNode flow = rewritten.path("components").path("securitySchemes").path("gateway-oauth2").path("flows")
                .path("authorizationCode");
        assertThat(flow.path("authorizationUrl").asString()).isEqualTo("https://gw.example/oauth2/authorize");
        assertThat(flow.path("tokenUrl").asString()).isEqualTo("https://gw.example/oauth2/token");
        assertThat(rewritten.path("components").path("securitySchemes").has("bearer-jwt")).isTrue();
        assertThat(rewritten.path("security").toString()).isEqualTo("[{\"bearer-jwt\":[]},{\"gateway-oauth2\":[\"openid\"]}]");
        assertThat(rewritten.path("paths").path("/orders").path("get").path("security").toString())
                .contains("gateway-oauth2");
        assertThat(rewritten.path("paths").path("/open").path("get").path("security").toString()).isEqualTo("[]");
    }

    @Test
    void addsWhatTheGatewayAnswersInFrontOfTheServiceToEveryOperation() {
        JsonNode responses = rewrite(GATEWAY).at("/paths/~1orders/get/responses");

        assertThat(responses.propertyNames()).containsExactly("200", "429", "502", "503", "504");
        assertThat(responses.at("/503/description").asString()).startsWith("The store is down");
        for (String status : List.of("429", "502", "503", "504")) {
            assertThat(responses.at("/" + status + "/content/application~1problem+json/schema/$ref").asString())
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(responses.at("/429/headers/Retry-After/schema/type").asString()).isEqualTo("integer");
        assertThat(responses.at("/503/headers").has("Retry-After")).isTrue();
        assertThat(responses.at("/502/headers").isMissingNode()).isTrue();
    }

    @Test
    void leavesOutTheSignInWhileTheIssuerCannotBeRead() {
        JsonNode rewritten = rewrite(Optional::empty);

        assertThat(rewritten.path("servers").get(0).path("url").asString()).isEqualTo("/api");
        assertThat(rewritten.path("components").path("securitySchemes").has("gateway-oauth2")).isFalse();
    }

    private static JsonNode rewrite(SignInEndpoints signIn) {
        byte[] body = ApiDocsRewriter.rewrite(JSON, signIn, "/api", DOCUMENT.getBytes(StandardCharsets.UTF_8));
        return JSON.readTree(body);
    }
}
