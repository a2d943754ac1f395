package io.polystore.gateway.routing.internal;

import io.polystore.gateway.identity.SignInEndpoints;
import io.polystore.servicedefaults.openapi.ProblemResponsesCustomizer;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.filter.AfterFilterFunctions;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Turns a service's OpenAPI document into one Swagger UI at the gateway can use: its only server is the service's
 * path on the gateway (so "Try it out" goes through the gateway and its rules), and every operation that accepts a
 * bearer token also accepts the gateway's OAuth2 scheme, so that the Authorize button signs in with the
 * authorization code flow and PKCE. Every operation gains the answers the gateway itself gives in front of the service:
 * 429 from the rate limits and 502, 503 and 504 when the service is broken, down or slow, as problem details with
 * {@code Retry-After} where the gateway sends it; and the operations it forwards to a customer's home region say so
 * ({@link HomeRegionApiDocs}).
 */
public final class ApiDocsRewriter {

    static final String OAUTH2_SCHEME = "gateway-oauth2";
    private static final String BEARER_SCHEME = "bearer-jwt";
    private static final String PROBLEM = "#/components/schemas/" + ProblemResponsesCustomizer.PROBLEM_SCHEMA;

    /** The gateway's own answers: status, description, whether it sends Retry-After. */
    private record GatewayAnswer(HttpStatus status, String description, boolean retryAfter) {
    }

    private static final List<GatewayAnswer> GATEWAY_ANSWERS = List.of(
            new GatewayAnswer(HttpStatus.TOO_MANY_REQUESTS, "A rate limit of the gateway is spent; retry later.", true),
            new GatewayAnswer(HttpStatus.BAD_GATEWAY, "The exchange with the service failed.", false),
            new GatewayAnswer(HttpStatus.SERVICE_UNAVAILABLE, "The service, or a store it needs, is unavailable.", true),
            new GatewayAnswer(HttpStatus.GATEWAY_TIMEOUT, "The service did not answer in time.", false));

    private ApiDocsRewriter() {
    }

    public static BiFunction<ServerRequest, ServerResponse, ServerResponse> forServerPath(String serverPath) {
        return (request, response) -> {
            if (!response.statusCode().is2xxSuccessful()) {
                return response;
            }
            ApplicationContext context = MvcUtils.getApplicationContext(request);
            JsonMapper json = context.getBean(JsonMapper.class);
            SignInEndpoints signIn = context.getBean(SignInEndpoints.class);
            return AfterFilterFunctions.modifyResponseBody(byte[].class, byte[].class, null,
                    (ignoredRequest, ignoredResponse, body) -> rewrite(json, signIn, serverPath, body)).apply(request, response);
        };
    }

    static byte[] rewrite(JsonMapper json, SignInEndpoints signIn, String serverPath, byte[] body) {
        JsonNode document = json.readTree(body);
        if (!(document instanceof ObjectNode openApi)) {
            return body;
        }
        ArrayNode servers = openApi.putArray("servers");
        servers.addObject().put("url", serverPath).put("description", "through the gateway");
        openApi.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            addGatewayAnswers(operation.getValue().path("responses"));
            HomeRegionApiDocs.describe(operation.getKey(), serverPath + path.getKey(), operation.getValue());
        }));
        signIn.endpoints().ifPresent(endpoints -> {
            ObjectNode flow = openApi.withObject("/components").withObject("/securitySchemes").putObject(OAUTH2_SCHEME)
                    .put("type", "oauth2")
                    .put("description", "Sign in at the gateway (authorization code with PKCE)")
                    .putObject("flows").putObject("authorizationCode")
                    .put("authorizationUrl", endpoints.authorization().toString())
                    .put("tokenUrl", endpoints.token().toString());
            flow.putObject("scopes").put("openid", "OpenID Connect sign-in");
            addOAuth2Alternative(openApi.get("security"));
            openApi.path("paths").forEach(pathItem -> pathItem.forEach(operation -> addOAuth2Alternative(operation.get("security"))));
        });
        return json.writeValueAsBytes(openApi);
    }

    private static void addGatewayAnswers(JsonNode responses) {
        if (!(responses instanceof ObjectNode byStatus)) {
            return;
        }
        for (GatewayAnswer answer : GATEWAY_ANSWERS) {
            String code = Integer.toString(answer.status().value());
            ObjectNode response = byStatus.has(code) ? (ObjectNode) byStatus.get(code)
                    : byStatus.putObject(code).put("description", answer.description());
            response.putObject("content").putObject(ProblemResponsesCustomizer.PROBLEM_MEDIA_TYPE)
                    .putObject("schema").put("$ref", PROBLEM);
            if (answer.retryAfter()) {
                response.withObject("/headers").putObject(HttpHeaders.RETRY_AFTER)
                        .put("description", "Seconds to wait before trying again")
                        .putObject("schema").put("type", "integer").put("minimum", 1);
            }
        }
        List<String> codes = byStatus.propertyStream().map(Map.Entry::getKey).sorted().toList();
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        codes.forEach(code -> ordered.put(code, byStatus.get(code)));
        byStatus.removeAll();
        byStatus.setAll(ordered);
    }

    /** Where a requirement names the bearer scheme, the OAuth2 scheme becomes an alternative to it. */
    private static void addOAuth2Alternative(JsonNode security) {
        if (security instanceof ArrayNode requirements && requirements.valueStream().anyMatch(r -> r.has(BEARER_SCHEME))
                && requirements.valueStream().noneMatch(r -> r.has(OAUTH2_SCHEME))) {
            requirements.addObject().putArray(OAUTH2_SCHEME).add("openid");
        }
    }
}
