package io.polystore.gateway.identity;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.testkit.platform.GatewaySignIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Sign-in and tokens at the gateway, over HTTP, as clients use them. */
@GatewayIntegrationTest
class IdentityFlowsIT {

    private static final String WEB_CALLBACK = "http://127.0.0.1:8090/callback";

    @Value("${local.server.port}")
    int port;

    GatewayHttp gateway;

    @BeforeEach
    void connect() {
        gateway = GatewayHttp.on(port);
    }

    @Test
    void publishesOidcDiscoveryAndEveryPublishedKey() {
        JsonNode discovery = json(gateway.get("/.well-known/openid-configuration", null));

        assertThat(discovery.path("issuer").asString()).isEqualTo("http://localhost:8080");
        assertThat(discovery.path("jwks_uri").asString()).isEqualTo("http://localhost:8080/oauth2/jwks");
        assertThat(discovery.path("token_endpoint").asString()).isEqualTo("http://localhost:8080/oauth2/token");
        assertThat(discovery.path("code_challenge_methods_supported").valueStream().map(JsonNode::asString)).contains("S256");

        JsonNode keys = json(gateway.get("/oauth2/jwks", null)).path("keys");
        assertThat(keys.valueStream().map(key -> key.path("kid").asString()))
                .containsExactlyInAnyOrder("test-key-active", "test-key-previous");
        assertThat(keys.valueStream()).allSatisfy(key -> assertThat(key.has("d")).as("private part").isFalse());
    }

    @Test
    void machineGetsATokenWithItsRolesByClientCredentials() throws Exception {
        HttpResponse<String> response = gateway.postForm("/oauth2/token",
                Map.of("grant_type", "client_credentials"), "demo-machine", "demo-machine-secret");

        assertThat(response.statusCode()).isEqualTo(200);
        String accessToken = json(response).path("access_token").asString();
        SignedJWT jwt = SignedJWT.parse(accessToken);
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("test-key-active");
        assertThat(claims.getIssuer()).isEqualTo("http://localhost:8080");
        assertThat(claims.getAudience()).containsExactly("polystore");
        assertThat(claims.getSubject()).isEqualTo("demo-machine");
        assertThat(claims.getStringClaim("client_id")).isEqualTo("demo-machine");
        assertThat(claims.getStringListClaim("roles")).containsExactly("ORDER_MANAGER");
        assertThat(claims.getClaims()).as("a machine has no home region").doesNotContainKey("region");

        assertThat(gateway.get("/api/orders/orders", accessToken).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/audit/records", accessToken).statusCode()).isEqualTo(403);
    }

    @Test
    void refusesAWrongClientSecret() {
        HttpResponse<String> response = gateway.postForm("/oauth2/token",
                Map.of("grant_type", "client_credentials"), "demo-machine", "guess");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(json(response).path("error").asString()).isEqualTo("invalid_client");
    }

    @Test
    void personSignsInWithAuthorizationCodeAndPkceThenRefreshesWithRotation() throws Exception {
        String verifier = GatewaySignIn.codeVerifier();
        String code = signInAndAuthorize("alice", "polystore", "demo-web", WEB_CALLBACK, verifier);

        HttpResponse<String> tokens = gateway.postForm("/oauth2/token", Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", WEB_CALLBACK,
                "code_verifier", verifier), "demo-web", "demo-web-secret");

        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        JWTClaimsSet access = SignedJWT.parse(json(tokens).path("access_token").asString()).getJWTClaimsSet();
        assertThat(access.getSubject()).isEqualTo("alice");
        assertThat(access.getStringListClaim("roles")).containsExactly("CUSTOMER");
        assertThat(access.getAudience()).containsExactly("polystore");
        assertThat(access.getStringClaim("client_id")).isEqualTo("demo-web");
        String homeRegion = homeRegion(json(tokens).path("access_token").asString());
        assertThat(access.getStringClaim("region")).isEqualTo(homeRegion);
        JWTClaimsSet id = SignedJWT.parse(json(tokens).path("id_token").asString()).getJWTClaimsSet();
        assertThat(id.getAudience()).containsExactly("demo-web");
        assertThat(gateway.get("/api/orders/orders", json(tokens).path("access_token").asString()).statusCode()).isEqualTo(200);

        String refreshToken = json(tokens).path("refresh_token").asString();
        HttpResponse<String> refreshed = gateway.postForm("/oauth2/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), "demo-web", "demo-web-secret");
        assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
        JWTClaimsSet refreshedAccess = SignedJWT.parse(json(refreshed).path("access_token").asString()).getJWTClaimsSet();
        assertThat(refreshedAccess.getStringListClaim("roles")).containsExactly("CUSTOMER");
        assertThat(refreshedAccess.getStringClaim("region")).isEqualTo(homeRegion);
        assertThat(json(refreshed).path("refresh_token").asString()).isNotEqualTo(refreshToken);

        HttpResponse<String> reused = gateway.postForm("/oauth2/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refreshToken), "demo-web", "demo-web-secret");
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(json(reused).path("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void swaggerUiSignsInAsAPublicClientWithPkceAndGetsNoRefreshToken() throws Exception {
        String redirect = "http://localhost:8080/swagger-ui/oauth2-redirect.html";
        String verifier = GatewaySignIn.codeVerifier();
        String code = signInAndAuthorize("audrey", "polystore", "swagger-ui", redirect, verifier);

        HttpResponse<String> tokens = gateway.postForm("/oauth2/token", Map.of("grant_type", "authorization_code",
                "client_id", "swagger-ui", "code", code, "redirect_uri", redirect, "code_verifier", verifier), null, null);

        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens).has("refresh_token")).isFalse();
        String accessToken = json(tokens).path("access_token").asString();
        assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getStringListClaim("roles")).containsExactly("AUDITOR");
        assertThat(gateway.get("/api/audit/records", accessToken).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesTheCodeWithoutItsPkceVerifier() throws Exception {
        String code = signInAndAuthorize("alice", "polystore", "demo-web", WEB_CALLBACK, GatewaySignIn.codeVerifier());

        HttpResponse<String> tokens = gateway.postForm("/oauth2/token", Map.of(
                "grant_type", "authorization_code", "code", code, "redirect_uri", WEB_CALLBACK,
                "code_verifier", GatewaySignIn.codeVerifier()), "demo-web", "demo-web-secret");

        assertThat(tokens.statusCode()).isEqualTo(400);
        assertThat(json(tokens).path("error").asString()).isEqualTo("invalid_grant");
    }

    @Test
    void refusesAnAuthorizationRequestWithoutPkce() {
        GatewayHttp browser = GatewayHttp.browserOn(port);

        HttpResponse<String> response = browser.getHtml("/oauth2/authorize?response_type=code&client_id=demo-web"
                + "&scope=openid&state=s1&redirect_uri=" + WEB_CALLBACK);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow())
                .startsWith(WEB_CALLBACK).contains("error=invalid_request");
    }

    @Test
    void wrongPasswordStaysOnTheSignInPage() {
        GatewayHttp browser = GatewayHttp.browserOn(port);
        String csrf = csrfToken(browser.getHtml("/login"));

        HttpResponse<String> response = browser.postForm("/login",
                Map.of("username", "alice", "password", "wrong", "_csrf", csrf), null, null);

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
    }

    @Test
    void userinfoAnswersForAnOpenIdToken() throws Exception {
        String verifier = GatewaySignIn.codeVerifier();
        String code = signInAndAuthorize("carol", "polystore", "demo-web", WEB_CALLBACK, verifier);
        String accessToken = json(gateway.postForm("/oauth2/token", Map.of("grant_type", "authorization_code",
                "code", code, "redirect_uri", WEB_CALLBACK, "code_verifier", verifier), "demo-web", "demo-web-secret"))
                .path("access_token").asString();

        HttpResponse<String> userinfo = gateway.get("/userinfo", accessToken);

        assertThat(userinfo.statusCode()).isEqualTo(200);
        assertThat(json(userinfo).path("sub").asString()).isEqualTo("carol");
    }

    @Test
    void writesADemoTokenPerRoleThatTheGatewayAccepts() throws Exception {
        String auditor = Files.readString(Path.of("target/demo-tokens/AUDITOR.jwt"));

        JWTClaimsSet claims = SignedJWT.parse(auditor).getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo("audrey");
        assertThat(claims.getStringClaim("region")).as("the seeded account's home region")
                .isEqualTo(homeRegion(auditor));
        assertThat(gateway.get("/api/audit/records", auditor).statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/sync/status", auditor).statusCode()).isEqualTo(403);
    }

    /**
     * The home region the caller's account has. The demo accounts are seeded by whichever gateway test starts first
     * on the shared database, in that gateway's region (AccountsIT checks the seeding itself).
     */
    private String homeRegion(String accessToken) {
        HttpResponse<String> account = gateway.get("/api/account", accessToken);
        assertThat(account.statusCode()).as(account.body()).isEqualTo(200);
        return json(account).path("homeRegion").asString();
    }

    /** Runs the browser part of the flow: authorize, get sent to sign in, sign in, come back with a code. */
    private String signInAndAuthorize(String username, String password, String clientId, String redirectUri,
                                      String verifier) {
        return GatewaySignIn.authorizationCode(gateway.uri("/"), username, password, clientId, redirectUri,
                "openid profile", verifier);
    }

    private static String csrfToken(HttpResponse<String> loginPage) {
        assertThat(loginPage.statusCode()).isEqualTo(200);
        assertThat(loginPage.headers().firstValue("Content-Security-Policy")).isPresent();
        assertThat(loginPage.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        return GatewaySignIn.csrfToken(loginPage);
    }
}
