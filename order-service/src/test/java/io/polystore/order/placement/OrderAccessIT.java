package io.polystore.order.placement;

import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderDatabase.OutboxRow;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;

@OrderServiceIntegrationTest
class OrderAccessIT {

    private static final String ACCESSED = "io.polystore.audit.PersonalDataAccessed";

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    static String book;

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
    }

    @Test
    void othersOrdersDoNotExistForACustomer() {
        String dave = "dave-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(dave, book);
        String eve = token("eve", "CUSTOMER");

        assertThat(api.get(eve, "/orders/" + orderId).status()).isEqualTo(404);
        assertThat(api.get(eve, "/orders/" + orderId + "/history").status()).isEqualTo(404);
        assertThat(api.post(eve, "/orders/" + orderId + "/cancel").status()).isEqualTo(404);
        assertThat(api.get(eve, "/orders/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(database.orderStatus(orderId)).isEqualTo("PENDING");
        assertThat(api.get(eve, "/orders").body().path("items").valueStream()
                .map(item -> item.path("id").asString())).doesNotContain(orderId.toString());
    }

    @Test
    void theCustomerAndOrderManagersSeePersonalDataAndEveryReadIsAudited() {
        String customer = "frank-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(customer, book);
        long auditedBefore = audited(customer).size();

        JsonNode own = api.get(token(customer, "CUSTOMER"), "/orders/" + orderId).body();
        JsonNode managed = api.get(token("mia", "ORDER_MANAGER"), "/orders/" + orderId).body();
        JsonNode administered = api.get(token("root", "ADMIN"), "/orders/" + orderId).body();

        for (JsonNode order : List.of(own, managed, administered)) {
            assertThat(order.path("personalDataMasked").asBoolean()).isFalse();
            assertThat(order.path("personalData").path("name").asString()).isEqualTo("Alice Example");
            assertThat(order.path("personalData").path("email").asString()).isEqualTo("alice@example.com");
            assertThat(order.path("personalData").path("phone").asString()).isEqualTo("+49 30 1234567");
            assertThat(order.path("personalData").path("shippingAddress").path("line1").asString()).isEqualTo("Hauptstrasse 1");
        }
        List<JsonNode> audits = audited(customer);
        assertThat(audits).hasSize((int) auditedBefore + 3);
        assertThat(audits.subList(audits.size() - 3, audits.size())).extracting(audit -> audit.path("actor").asString())
                .containsExactly(customer, "mia", "root");
        assertThat(audits.getLast().path("action").asString()).isEqualTo("READ");
        assertThat(audits.getLast().path("purpose").asString()).isEqualTo("order-view");
    }

    @Test
    void auditorsSeeOrdersWithPersonalDataMaskedAndUnaudited() {
        String customer = "grace-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(customer, book);
        int auditedBefore = audited(customer).size();

        Response response = api.get(token("ada", "AUDITOR"), "/orders/" + orderId);

        assertThat(response.status()).isEqualTo(200);
        JsonNode personalData = response.body().path("personalData");
        assertThat(response.body().path("personalDataMasked").asBoolean()).isTrue();
        assertThat(personalData.path("name").asString()).isEqualTo("A***");
        assertThat(personalData.path("email").asString()).isEqualTo("a***@example.com");
        assertThat(personalData.path("phone").asString()).isEqualTo("***67");
        assertThat(personalData.path("shippingAddress").path("line1").asString()).isEqualTo("***");
        assertThat(personalData.path("shippingAddress").path("city").asString()).isEqualTo("Berlin");
        assertThat(response.toString()).doesNotContain("alice@example.com", "Hauptstrasse", "1234567");
        assertThat(audited(customer)).hasSize(auditedBefore);
        assertThat(api.post(token("ada", "AUDITOR"), "/orders/" + orderId + "/cancel").status()).isEqualTo(403);
    }

    @Test
    void orderManagersListAndCancelEveryonesOrdersAndCustomersCannotListAll() {
        String customer = "henry-" + UUID.randomUUID();
        UUID orderId = api.placeOrder(customer, book);
        String manager = token("mia", "ORDER_MANAGER");

        JsonNode page = api.get(manager, "/orders/all?customerId=" + customer).body();
        Response cancelled = api.post(manager, "/orders/" + orderId + "/cancel");

        assertThat(page.path("items").get(0).path("id").asString()).isEqualTo(orderId.toString());
        assertThat(page.path("items").get(0).path("lineCount").asInt()).isEqualTo(1);
        assertThat(page.path("items").get(0).has("personalData")).isFalse();
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("statusReason").asString()).isEqualTo("by mia");
        assertThat(api.get(token(customer, "CUSTOMER"), "/orders/all").status()).isEqualTo(403);
    }

    @Test
    void myOrdersComeNewestFirstPageByPageWithFilters() throws Exception {
        String customer = "ivy-" + UUID.randomUUID();
        String ivy = token(customer, "CUSTOMER");
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            placed.add(api.placeOrder(customer, book));
        }
        Instant afterThird = placedAt(ivy, placed.get(2)).plusNanos(1_000);
        api.post(ivy, "/orders/" + placed.get(1) + "/cancel");

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = api.get(ivy, "/orders?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).body();
            page.path("items").forEach(item -> seen.add(item.path("id").asString()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asString();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(placed.reversed().stream().map(UUID::toString).toList());
        assertThat(ids(api.get(ivy, "/orders?status=CANCELLED").body())).containsExactly(placed.get(1).toString());
        assertThat(ids(api.get(ivy, "/orders?status=PENDING&status=CONFIRMED&placedBefore=" + afterThird).body()))
                .containsExactly(placed.get(2).toString(), placed.get(0).toString());
        assertThat(ids(api.get(ivy, "/orders?placedFrom=" + afterThird).body()))
                .containsExactly(placed.get(4).toString(), placed.get(3).toString());
    }

    @Test
    void badListingParametersAre400NamingThem() {
        String ivy = token("ivy", "CUSTOMER");

        assertThat(field(api.get(ivy, "/orders?limit=0"))).isEqualTo("limit");
        assertThat(field(api.get(ivy, "/orders?limit=101"))).isEqualTo("limit");
        assertThat(field(api.get(ivy, "/orders?status=SHIPPED"))).isEqualTo("status");
        assertThat(field(api.get(ivy, "/orders?placedFrom=yesterday"))).isEqualTo("placedFrom");
        assertThat(field(api.get(ivy, "/orders?cursor=not-a-cursor"))).isEqualTo("cursor");
        // Issue 16: blanks in a status filter were a 500.
        for (String blank : List.of("%20", "%09", "%0D%0A", "CONFIRMED,,PENDING")) {
            assertThat(field(api.get(ivy, "/orders?status=" + blank))).as(blank).isEqualTo("status");
            assertThat(field(api.get(token("oscar", "ORDER_MANAGER"), "/orders/all?status=" + blank))).isEqualTo("status");
        }
        assertThat(field(api.get(token("oscar", "ORDER_MANAGER"), "/orders/all?customerId=a%00b"))).isEqualTo("customerId");
    }

    private List<JsonNode> audited(String customer) {
        return database.outbox(customer).stream().filter(row -> row.type().equals(ACCESSED)).map(OutboxRow::payload).toList();
    }

    private Instant placedAt(String token, UUID orderId) {
        return Instant.parse(api.get(token, "/orders/" + orderId).body().path("placedAt").asString());
    }

    private static List<String> ids(JsonNode page) {
        return page.path("items").valueStream().map(item -> item.path("id").asString()).toList();
    }

    private static String field(Response response) {
        assertThat(response.status()).as("%s", response.body()).isEqualTo(400);
        return response.body().path("errors").get(0).path("field").asString();
    }
}
