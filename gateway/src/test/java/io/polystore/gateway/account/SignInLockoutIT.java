package io.polystore.gateway.account;

import io.polystore.events.AccountChanged;
import io.polystore.gateway.support.AuditEvents;
import io.polystore.gateway.support.GatewayHttp;
import io.polystore.gateway.support.GatewayIntegrationTest;
import io.polystore.gateway.support.TestTokens;
import io.polystore.testkit.platform.GatewaySignIn;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import static io.polystore.gateway.support.GatewayHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Five wrong passwords lock an account: the sign-in page says so and until when, a client asking for JSON gets a 423
 * problem, the right password no longer helps, and an administrator's unlock lets the person in again.
 */
@GatewayIntegrationTest
class SignInLockoutIT {

    private static final String PASSWORD = "my own good passphrase";

    @Value("${local.server.port}")
    int port;

    @Test
    void repeatedWrongPasswordsLockTheAccountUntilAnAdministratorUnlocksIt() {
        GatewayHttp gateway = GatewayHttp.on(port);
        String username = "locked-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(gateway.send(HttpRequest.newBuilder(gateway.uri("/api/account")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}"))
                .build()).statusCode()).isEqualTo(201);
        GatewayHttp browser = GatewayHttp.browserOn(port);

        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(signInPageAfter(browser, username, "wrong guess " + attempt)).contains("The username or password is not right.");
        }
        assertThat(signInPageAfter(browser, username, "wrong guess 5")).contains("this account is locked until");
        assertThat(signInPageAfter(browser, username, PASSWORD))
                .contains("Too many failed sign-ins: this account is locked until").contains("ask an administrator");

        HttpResponse<String> asJson = signInAsJsonClient(username, PASSWORD);
        assertThat(asJson.statusCode()).isEqualTo(423);
        assertThat(asJson.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Long.parseLong(asJson.headers().firstValue("Retry-After").orElseThrow())).isBetween(60L, 15 * 60L + 60);
        assertThat(json(asJson).path("detail").asString()).contains("locked until");
        String admin = TestTokens.valid("adam", "ADMIN");
        assertThat(json(gateway.get("/api/accounts/" + username, admin)).path("lockedUntil").isNull()).isFalse();
        assertThat(AuditEvents.get().awaitAccountChange(change -> change.account().equals(username)
                && change.change() == AccountChanged.Change.LOCKED).actor()).isEqualTo(AccountChanged.GATEWAY);

        HttpResponse<String> unlocked = gateway.send(HttpRequest.newBuilder(gateway.uri("/api/accounts/" + username + "/unlock"))
                .header("Authorization", "Bearer " + admin).POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(unlocked.statusCode()).as(unlocked.body()).isEqualTo(200);
        assertThat(json(unlocked).path("lockedUntil").isNull()).isTrue();
        assertThat(GatewaySignIn.accessToken(gateway.uri("/"), username, PASSWORD)).isNotBlank();
        assertThat(AuditEvents.get().awaitAccountChange(change -> change.account().equals(username)
                && change.change() == AccountChanged.Change.UNLOCKED).actor()).isEqualTo("adam");
    }

    @Test
    void aJsonClientIsToldAWrongPasswordAsAProblem() {
        HttpResponse<String> response = signInAsJsonClient("alice", "not her password");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(response).path("detail").asString()).isEqualTo("The username or password is not right.");
    }

    /** Signs in as a browser does, follows the redirect back to the sign-in page and answers that page. */
    private static String signInPageAfter(GatewayHttp browser, String username, String password) {
        HttpResponse<String> failed = browser.postForm("/login", Map.of("username", username, "password", password,
                "_csrf", GatewaySignIn.csrfToken(browser.getHtml("/login"))), null, null);
        assertThat(failed.statusCode()).isEqualTo(302);
        assertThat(failed.headers().firstValue("Location").orElseThrow()).endsWith("/login?error");
        return browser.getHtml("/login?error").body();
    }

    private HttpResponse<String> signInAsJsonClient(String username, String password) {
        GatewayHttp client = GatewayHttp.browserOn(port);
        String csrf = GatewaySignIn.csrfToken(client.getHtml("/login"));
        return client.send(HttpRequest.newBuilder(client.uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(GatewayHttp.formBody(
                        Map.of("username", username, "password", password, "_csrf", csrf)))).build());
    }
}
