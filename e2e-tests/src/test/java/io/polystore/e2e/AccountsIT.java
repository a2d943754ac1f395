package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.GatewaySignIn;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * People's accounts at the gateway, end to end: a customer who signs up signs in on the sign-in page and orders; too
 * many wrong passwords lock an account until an administrator unlocks it; a role granted or revoked counts from the
 * next token. The account changes reach the audit trail.
 */
@ExtendWith(RunningPlatform.class)
class AccountsIT {

    private static final String PASSWORD = "shopping all day long";

    private static Shop shop;

    @BeforeAll
    static void shop() {
        shop = new Shop(RunningPlatform.platform());
    }

    /**
     * Signing in is a browser's flow of redirects, which the contract proxy would follow itself instead of handing
     * them back: it goes to the gateway directly.
     */
    private static URI signInAt() {
        return RunningPlatform.platform().gatewayUrl();
    }

    @Test
    void aCustomerWhoSignsUpSignsInAndOrders() {
        String username = signUp();

        String token = GatewaySignIn.accessToken(signInAt(), username, PASSWORD);
        String product = shop.createProduct("Sign-up scarf", 5);
        String order = shop.placeOrder(token, UUID.randomUUID().toString(), Map.of(product, 1));

        shop.awaitStatus(token, order, "CONFIRMED");
        assertThat(shop.gateway.get("/api/orders/" + order, shop.token("CUSTOMER")).status())
                .as("alice does not see another customer's order").isEqualTo(404);
        await("the sign-up in the audit trail").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    GatewayClient.Response records = shop.gateway.get("/api/audit/records?action=ACCOUNT_CHANGE&subject="
                            + username, shop.token("AUDITOR"));
                    assertThat(records.status()).as(records.body()).isEqualTo(200);
                    List<String> changes = new ArrayList<>();
                    records.json().path("records").forEach(record -> changes.add(record.path("details").path("change").asString()));
                    assertThat(changes).contains("REGISTERED");
                });
    }

    @Test
    void repeatedWrongPasswordsLockAnAccountUntilAnAdministratorUnlocksIt() {
        String username = signUp();
        for (int attempt = 1; attempt <= 4; attempt++) {
            assertThat(GatewaySignIn.failedSignInPage(signInAt(), username, "wrong " + attempt))
                    .contains("The username or password is not right.");
        }
        assertThat(GatewaySignIn.failedSignInPage(signInAt(), username, "wrong 5")).contains("locked until");
        assertThat(GatewaySignIn.failedSignInPage(signInAt(), username, PASSWORD))
                .as("the right password no longer helps").contains("locked until");

        GatewayClient.Response unlocked = shop.gateway.post("/api/accounts/" + username + "/unlock", shop.token("ADMIN"), null);

        assertThat(unlocked.status()).as(unlocked.body()).isEqualTo(200);
        assertThat(GatewaySignIn.accessToken(signInAt(), username, PASSWORD)).isNotBlank();
    }

    @Test
    void aRoleGrantedOrRevokedCountsFromTheNextToken() {
        String username = signUp();
        String asCustomer = GatewaySignIn.accessToken(signInAt(), username, PASSWORD);
        assertThat(createCategory(asCustomer)).isEqualTo(403);

        GatewayClient.Response granted = shop.gateway.put("/api/accounts/" + username + "/roles/CATALOG_MANAGER",
                shop.token("ADMIN"), null);
        assertThat(granted.status()).as(granted.body()).isEqualTo(200);
        String asManager = GatewaySignIn.accessToken(signInAt(), username, PASSWORD);

        assertThat(createCategory(asCustomer)).as("a token keeps the roles it was issued with").isEqualTo(403);
        assertThat(createCategory(asManager)).isEqualTo(201);

        GatewayClient.Response revoked = shop.gateway.send("DELETE", "/api/accounts/" + username + "/roles/CATALOG_MANAGER",
                shop.token("ADMIN"), null, Map.of());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(createCategory(GatewaySignIn.accessToken(signInAt(), username, PASSWORD))).isEqualTo(403);
    }

    private static String signUp() {
        String username = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
        GatewayClient.Response registered = shop.gateway.post("/api/account", null,
                Map.of("username", username, "password", PASSWORD));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        JsonNode roles = registered.json().path("roles");
        assertThat(roles.toString()).isEqualTo("[\"CUSTOMER\"]");
        return username;
    }

    private static int createCategory(String token) {
        return shop.gateway.post("/api/catalog/categories", token, Map.of("name", "Accounts " + UUID.randomUUID())).status();
    }
}
