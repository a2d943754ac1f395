package io.polystore.gateway.account;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.polystore.events.AccountChanged;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import io.polystore.testkit.platform.GatewaySignIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The account API through the running gateway: sign-up, signing in with the new account, one's own account, and
 * administrators granting and revoking roles that count from the account's next token, each change audited on
 * {@code audit.events}.
 */
@GatewayIntegrationTest
class AccountApiIT {

    private static final String PASSWORD = "a sensible passphrase";
    private static final String WEB_CALLBACK = "http://127.0.0.1:8090/callback";

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;
    String username;

    @BeforeEach
    void setUp() {
        gateway = GatewayHttp.on(port);
        username = "user-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aCustomerSignsUpSignsInAndReadsTheirAccount() throws Exception {
        HttpResponse<String> registered = register(username, PASSWORD);

        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        assertThat(registered.headers().firstValue("Location")).hasValue("/api/account");
        assertThat(json(registered).path("roles").toString()).isEqualTo("[\"CUSTOMER\"]");
        assertThat(json(registered).path("homeRegion").asString()).as("the region of the gateway signed up at")
                .isEqualTo(GatewayIntegrationTest.REGION);
        assertThat(registered.body()).doesNotContain(PASSWORD).doesNotContain("bcrypt");

        String token = GatewaySignIn.accessToken(gatewayUri(), username, PASSWORD);
        JWTClaimsSet claims = SignedJWT.parse(token).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(username);
        assertThat(claims.getStringListClaim("roles")).containsExactly("CUSTOMER");
        assertThat(claims.getStringClaim("region")).isEqualTo(GatewayIntegrationTest.REGION);
        assertThat(gateway.get("/api/orders/orders", token).statusCode()).isEqualTo(200);
        HttpResponse<String> own = gateway.get("/api/account", token);
        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(json(own).path("username").asString()).isEqualTo(username);
        assertThat(json(own).path("lockedUntil").isNull()).isTrue();
        assertThat(json(own).path("homeRegion").asString()).isEqualTo(GatewayIntegrationTest.REGION);

        AccountChanged event = AuditEvents.get().awaitAccountChange(change -> change.account().equals(username));
        assertThat(event.change()).isEqualTo(AccountChanged.Change.REGISTERED);
        assertThat(event.actor()).isEqualTo(username);
    }

    @Test
    void aRefusedSignUpIsAProblemListingEveryBrokenRule() {
        HttpResponse<String> refused = register("Bad Name", "short");

        JsonNode problem = problem(refused, 400);
        assertThat(problem.path("errors").findValuesAsString("field")).containsExactlyInAnyOrder("username", "password");
        assertThat(problem.path("errors").findValuesAsString("reason"))
                .contains("must be at least 12 characters");

        assertThat(problem(register(username, username + "-password"), 400).path("errors").findValuesAsString("reason"))
                .containsExactly("must not contain the username");
        assertThat(problem(register(username, "password1234"), 400).path("errors").findValuesAsString("reason"))
                .containsExactly("is one of the most commonly chosen passwords, which are tried first");
        assertThat(problem(register("demo-machine", PASSWORD), 400).path("errors").findValuesAsString("reason"))
                .containsExactly("is reserved");
        problem(send("POST", "/api/account", "{\"username\":\"" + username + "\"", null), 400);
        problem(send("POST", "/api/account", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD
                + "\",\"roles\":[\"ADMIN\"]}", null), 400);
        assertThat(problem(send("POST", "/api/account", "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD
                + "\",\"homeRegion\":\"region-2\"}", null), 400).toString()).as("a gateway knows no other region")
                .contains("homeRegion");
        problem(gateway.send(HttpRequest.newBuilder(gateway.uri("/api/account")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(username)).build()), 415);

        assertThat(register(username, PASSWORD).statusCode()).isEqualTo(201);
        assertThat(problem(register(username, PASSWORD), 409).path("detail").asString()).contains("taken");
    }

    @Test
    void rolesGrantedAndRevokedCountFromTheNextTokenRefreshedOnesToo() throws Exception {
        register(username, PASSWORD);
        String admin = TestTokens.valid("adam", "ADMIN");
        String verifier = GatewaySignIn.codeVerifier();
        String code = GatewaySignIn.authorizationCode(gatewayUri(), username, PASSWORD, "demo-web", WEB_CALLBACK,
                "openid", verifier);
        JsonNode before = json(gateway.postForm("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code,
                "redirect_uri", WEB_CALLBACK, "code_verifier", verifier), "demo-web", "demo-web-secret"));
        assertThat(roles(before.path("access_token").asString())).containsExactly("CUSTOMER");

        HttpResponse<String> granted = send("PUT", "/api/accounts/" + username + "/roles/CATALOG_MANAGER", null, admin);
        assertThat(granted.statusCode()).as(granted.body()).isEqualTo(200);
        assertThat(json(granted).path("roles").toString()).isEqualTo("[\"CATALOG_MANAGER\",\"CUSTOMER\"]");
        assertThat(roles(GatewaySignIn.accessToken(gatewayUri(), username, PASSWORD)))
                .containsExactly("CATALOG_MANAGER", "CUSTOMER");

        assertThat(send("DELETE", "/api/accounts/" + username + "/roles/CUSTOMER", null, admin).statusCode()).isEqualTo(200);
        HttpResponse<String> refreshed = gateway.postForm("/oauth2/token", Map.of("grant_type", "refresh_token",
                "refresh_token", before.path("refresh_token").asString()), "demo-web", "demo-web-secret");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        assertThat(roles(json(refreshed).path("access_token").asString())).containsExactly("CATALOG_MANAGER");

        AccountChanged revoked = AuditEvents.get().awaitAccountChange(change -> change.account().equals(username)
                && change.change() == AccountChanged.Change.ROLE_REVOKED);
        assertThat(revoked.actor()).isEqualTo("adam");
        assertThat(revoked.role()).isEqualTo("CUSTOMER");
        assertThat(revoked.roles()).containsExactly("CATALOG_MANAGER");
    }

    @Test
    void onlyAdministratorsManageAccounts() {
        register(username, PASSWORD);
        String admin = TestTokens.valid("adam", "ADMIN");
        String customer = TestTokens.valid(username, "CUSTOMER");

        assertThat(gateway.get("/api/accounts", customer).statusCode()).isEqualTo(403);
        assertThat(send("PUT", "/api/accounts/" + username + "/roles/ADMIN", null, customer).statusCode()).isEqualTo(403);
        assertThat(gateway.get("/api/accounts", null).statusCode()).isEqualTo(401);
        assertThat(json(gateway.get("/api/accounts/" + username, admin)).path("roles").toString()).isEqualTo("[\"CUSTOMER\"]");
        problem(gateway.get("/api/accounts/nobody-" + username, admin), 404);
        problem(send("PUT", "/api/accounts/" + username + "/roles/EMPEROR", null, admin), 400);
        problem(gateway.get("/api/accounts?limit=0", admin), 400);
        problem(gateway.get("/api/accounts?cursor=%25%25", admin), 400);

        JsonNode firstPage = json(gateway.get("/api/accounts?role=ADMIN&limit=1", admin));
        assertThat(firstPage.path("accounts").size()).isEqualTo(1);
        assertThat(firstPage.path("accounts").get(0).path("roles").toString()).contains("ADMIN");
        JsonNode all = json(gateway.get("/api/accounts?limit=100", admin));
        assertThat(all.path("accounts").findValuesAsString("username")).contains("adam", "alice", username).isSorted();
        String machine = json(gateway.postForm("/oauth2/token", Map.of("grant_type", "client_credentials"),
                "demo-machine", "demo-machine-secret")).path("access_token").asString();
        assertThat(problem(gateway.get("/api/account", machine), 404).path("detail").asString()).contains("demo-machine");
    }

    @Test
    void theAccountApiIsInTheGatewaysOwnOpenApiDocument() {
        JsonNode paths = json(gateway.get("/v3/api-docs", null)).path("paths");

        assertThat(paths.path("/api/account").has("post")).isTrue();
        assertThat(paths.path("/api/account").has("get")).isTrue();
        assertThat(paths.path("/api/accounts/{username}/roles/{role}").has("put")).isTrue();
        assertThat(paths.path("/api/accounts/{username}/unlock").has("post")).isTrue();
    }

    private HttpResponse<String> register(String name, String password) {
        return send("POST", "/api/account", GatewayHttp.JSON.writeValueAsString(Map.of("username", name, "password", password)), null);
    }

    private HttpResponse<String> send(String method, String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri(path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return gateway.send(request.build());
    }

    private URI gatewayUri() {
        return gateway.uri("/");
    }

    private static List<String> roles(String token) throws Exception {
        return SignedJWT.parse(token).getJWTClaimsSet().getStringListClaim("roles");
    }

    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        return json(response);
    }
}
