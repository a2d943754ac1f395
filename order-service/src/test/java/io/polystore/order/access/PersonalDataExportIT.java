package io.polystore.order.access;

import io.polystore.order.support.AuditServiceStandIn;
import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderDatabase.OutboxRow;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;

/** The right of access: {@code GET /customers/{id}/personal-data} (issue 16). */
@OrderServiceIntegrationTest
class PersonalDataExportIT {

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    static String book;
    final AuditServiceStandIn audit = AuditServiceStandIn.get();

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
    }

    @AfterEach
    void auditBackUp() {
        audit.down(false);
    }

    @Test
    void theCustomerGetsEveryOrderWithItsPersonalDataAndTheAuditRecordsAboutThemAndTheExportIsAudited() {
        String customer = "erin-" + UUID.randomUUID();
        UUID first = api.placeOrder(customer, book);
        UUID second = api.placeOrder(customer, book);
        api.placeOrder("someone-else-" + UUID.randomUUID(), book);
        audit.recordsFor(customer, "[{\"position\":1,\"action\":\"ACCESS_ALLOW\"},{\"position\":2}]", "[{\"position\":3}]");
        String token = token(customer, "CUSTOMER");

        Response export = api.get(token, "/customers/" + customer + "/personal-data");

        assertThat(export.status()).as(export.body().toString()).isEqualTo(200);
        JsonNode body = export.body();
        assertThat(body.path("customerId").asString()).isEqualTo(customer);
        assertThat(body.path("personalDataErased").asBoolean()).isFalse();
        assertThat(body.path("orders").findValuesAsString("id")).containsExactly(first.toString(), second.toString());
        JsonNode personal = body.path("orders").get(0).path("personalData");
        assertThat(personal.path("email").asString()).isEqualTo("alice@example.com");
        assertThat(personal.path("shippingAddress").path("line1").asString()).isEqualTo("Hauptstrasse 1");
        assertThat(body.path("orders").get(0).path("lines").get(0).path("productId").asString()).isEqualTo(book);
        // Every page of the audit trail, read with the customer's own token: audit-service checks it, not us.
        assertThat(body.path("auditRecords").size()).isEqualTo(3);
        assertThat(body.path("auditRecords").get(2).path("position").asInt()).isEqualTo(3);
        assertThat(audit.authorizations().subList(audit.authorizations().size() - 2, audit.authorizations().size()))
                .containsOnly("Bearer " + token);

        List<OutboxRow> audited = database.outbox(customer).stream()
                .filter(row -> row.type().equals("io.polystore.audit.PersonalDataAccessed")).toList();
        assertThat(audited).hasSize(1);
        assertThat(audited.getFirst().payload().path("action").asString()).isEqualTo("READ");
        assertThat(audited.getFirst().payload().path("purpose").asString()).isEqualTo("access-export");
        assertThat(audited.getFirst().payload().path("actor").asString()).isEqualTo(customer);
    }

    @Test
    void onlyTheCustomerThemselfAndAdministratorsMayExport() {
        String customer = "frank-" + UUID.randomUUID();
        api.placeOrder(customer, book);
        String path = "/customers/" + customer + "/personal-data";

        assertThat(api.get(token("mallory", "CUSTOMER"), path).status()).isEqualTo(403);
        assertThat(api.get(token("oscar", "ORDER_MANAGER"), path).status()).isEqualTo(403);
        assertThat(api.get(token("audrey", "AUDITOR"), path).status()).isEqualTo(403);
        assertThat(api.get(null, path).status()).isEqualTo(401);
        Response byAdmin = api.get(token("adam", "ADMIN"), path);
        assertThat(byAdmin.status()).isEqualTo(200);
        assertThat(byAdmin.body().path("orders").size()).isEqualTo(1);
        assertThat(database.outbox(customer).stream().filter(row -> row.type().endsWith("PersonalDataAccessed"))
                .map(row -> row.payload().path("actor").asString())).containsExactly("adam");
    }

    @Test
    void afterAnErasureTheOrdersAreExportedWithoutTheirPersonalData() {
        String customer = "gina-" + UUID.randomUUID();
        api.placeOrder(customer, book);
        assertThat(api.delete(token(customer, "CUSTOMER"), "/customers/" + customer + "/personal-data").status())
                .isEqualTo(204);

        JsonNode export = api.get(token(customer, "CUSTOMER"), "/customers/" + customer + "/personal-data").body();

        assertThat(export.path("personalDataErased").asBoolean()).isTrue();
        assertThat(export.path("orders").get(0).path("personalData").isNull()).isTrue();
        assertThat(export.path("orders").get(0).path("personalDataErased").asBoolean()).isTrue();
    }

    @Test
    void withoutTheAuditTrailThereIsNoExportAndNothingIsRecordedAsRead() {
        String customer = "hugo-" + UUID.randomUUID();
        api.placeOrder(customer, book);
        audit.down(true);

        Response export = api.get(token(customer, "CUSTOMER"), "/customers/" + customer + "/personal-data");

        assertThat(export.status()).isEqualTo(503);
        assertThat(export.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(database.outboxTypes(customer)).doesNotContain("io.polystore.audit.PersonalDataAccessed");
    }
}
