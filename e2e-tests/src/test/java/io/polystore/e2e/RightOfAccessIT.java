package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 16 through the gateway: the right of access (a customer's export of everything Polystore holds about them,
 * audited) and the public addresses of what the API creates.
 */
@ExtendWith(RunningPlatform.class)
class RightOfAccessIT {

    private static Shop shop;

    @BeforeAll
    static void shop() {
        shop = new Shop(RunningPlatform.platform());
    }

    @Test
    void aliceExportsHerDataBobsIsRefusedToHerAnAdministratorExportsHersAndEachExportIsInTheAuditTrail() {
        String product = shop.createProduct("Right of access mug", 10);
        String order = shop.placeOrder(Map.of(product, 1));

        GatewayClient.Response own = shop.gateway.get("/api/customers/alice/personal-data", shop.token("CUSTOMER"));

        assertThat(own.status()).as(own.body()).isEqualTo(200);
        assertThat(own.raw().headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        JsonNode export = own.json();
        assertThat(export.path("customerId").asString()).isEqualTo("alice");
        JsonNode exported = export.path("orders").valueStream()
                .filter(item -> item.path("id").asString().equals(order)).findFirst().orElseThrow();
        assertThat(exported.path("personalData").path("email").asString()).isEqualTo("alice@example.com");
        assertThat(exported.path("personalDataMasked").asBoolean()).isFalse();
        // Her own requests through the gateway are in the trail, with her as actor.
        assertThat(export.path("auditRecords").valueStream()
                .anyMatch(record -> record.path("action").asString().equals("ACCESS_ALLOW")
                        && record.path("actor").asString().equals("alice"))).isTrue();

        GatewayClient.Response bobs = shop.gateway.get("/api/customers/bob/personal-data", shop.token("CUSTOMER"));
        assertThat(bobs.status()).isEqualTo(403);
        assertThat(bobs.raw().headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(shop.gateway.get("/api/customers/alice/personal-data", shop.token("ORDER_MANAGER")).status())
                .isEqualTo(403);

        GatewayClient.Response byAdmin = shop.gateway.get("/api/customers/alice/personal-data", shop.token("ADMIN"));
        assertThat(byAdmin.status()).as(byAdmin.body()).isEqualTo(200);
        assertThat(byAdmin.json().path("orders").findValuesAsString("id")).contains(order);

        // Both exports reach the audit trail, as reads of alice's personal data for the purpose of an export.
        await("both exports in the audit trail").atMost(Shop.SAGA_TIMEOUT).untilAsserted(() -> {
            JsonNode records = shop.gateway.get("/api/audit/records?subject=alice&action=PERSONAL_DATA_READ&limit=1000",
                    shop.token("AUDITOR")).json().path("records");
            assertThat(records.valueStream().filter(record -> "access-export".equals(record.path("details")
                    .path("purpose").asString())).map(record -> record.path("actor").asString()))
                    .contains("alice", "adam");
        });
    }

    @Test
    void theLocationOfWhatIsCreatedIsItsPublicAddressAtTheGateway() {
        GatewayClient.Response category = shop.gateway.post("/api/catalog/categories", shop.token("CATALOG_MANAGER"),
                Map.of("name", "Locations"));
        String product = shop.createProduct("Location lamp", 5);
        GatewayClient.Response order = shop.placed(shop.token("CUSTOMER"), UUID.randomUUID().toString(), Map.of(product, 1));

        for (GatewayClient.Response created : List.of(category, order)) {
            String location = created.raw().headers().firstValue("Location").orElseThrow();
            assertThat(URI.create(location).getRawPath()).startsWith("/api/");
            // The gateway's own port: the contract proxy in between forwards requests as a client of the gateway.
            assertThat(URI.create(location).getPort()).isEqualTo(shop.platform.gatewayUrl().getPort());
            String role = created == order ? "CUSTOMER" : "CATALOG_MANAGER";
            assertThat(shop.gateway.get(URI.create(location).getRawPath(), shop.token(role)).status()).isEqualTo(200);
        }
    }
}
