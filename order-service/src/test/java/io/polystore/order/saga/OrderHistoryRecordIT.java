package io.polystore.order.saga;

import io.polystore.events.Topics;
import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderDatabase.OutboxRow;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.order.support.TestCustomerDigestKey;
import io.polystore.servicedefaults.region.RegionProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every change of an order writes its masked history record ({@code orders.history}) in the transaction of the
 * change: placing, confirming, rejecting, cancelling, the notice of a long wait and the deadline. The record carries
 * the order's new version and nothing personal: not the customer's name, e-mail, phone or address, nor their id.
 */
@OrderServiceIntegrationTest
class OrderHistoryRecordIT {

    private static final String HISTORY = "io.polystore.order.OrderHistoryRecorded";

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    @Autowired
    RegionProperties region;

    static String book;
    String customer;

    @BeforeEach
    void setUp() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
        customer = "hugo-" + UUID.randomUUID();
    }

    @Test
    void placingConfirmingAndCancellingEachWriteTheOrdersRecordWithItsNewVersion() {
        UUID orderId = api.placeOrder(customer, book);
        assertThat(records(orderId)).extracting(this::statusAndVersion).containsExactly("PENDING 0");

        catalog.reserved(orderId, "reservation-h1", book);
        await().atMost(Duration.ofSeconds(30)).until(() -> records(orderId).size() == 2);
        assertThat(api.post(token(customer, "CUSTOMER"), "/orders/" + orderId + "/cancel").status()).isEqualTo(200);

        List<JsonNode> records = records(orderId);
        assertThat(records).extracting(this::statusAndVersion).containsExactly("PENDING 0", "CONFIRMED 1", "CANCELLED 2");
        JsonNode cancelled = records.getLast();
        assertThat(cancelled.path("orderId").asString()).isEqualTo(orderId.toString());
        assertThat(cancelled.path("homeRegion").asString()).isEqualTo(region.name());
        assertThat(cancelled.path("customerKey").asString()).isEqualTo(TestCustomerDigestKey.digest(customer))
                .isNotEqualTo(TestCustomerDigestKey.unkeyedDigest(customer));
        assertThat(cancelled.path("statusReason").asString()).isEqualTo("by the customer");
        assertThat(cancelled.path("total").path("amount").decimalValue()).isEqualByComparingTo("25.00");
        JsonNode line = cancelled.path("lines").get(0);
        assertThat(line.path("productId").asString()).isEqualTo(book);
        assertThat(line.path("quantity").asInt()).isEqualTo(2);
        assertThat(line.path("unitPrice").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(line.path("lineTotal").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(line.path("sku").asString()).isNotBlank();
        assertThat(line.path("name").asString()).isNotBlank();
        // The version orders the records: what the database holds now is the last one's.
        assertThat(api.get(token(customer, "CUSTOMER"), "/orders/" + orderId).body().path("status").asString())
                .isEqualTo("CANCELLED");
    }

    @Test
    void theRecordCarriesNothingPersonal() {
        UUID orderId = api.placeOrder(customer, book);

        List<OutboxRow> rows = database.outbox(orderId.toString()).stream().filter(row -> row.type().equals(HISTORY)).toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.topic()).isEqualTo(Topics.ORDER_HISTORY);
            assertThat(row.key()).isEqualTo(orderId.toString());
            String serialized = row.payload().toString();
            // What OrderApi.orderBody sends as the customer's personal data, and the customer's id itself.
            assertThat(serialized).doesNotContain("Alice", "alice@example.com", "1234567", "Hauptstrasse", "10115",
                    "Berlin", customer, "hugo");
            assertThat(row.payload().propertyNames()).containsExactlyInAnyOrder("orderId", "homeRegion",
                    "customerKey", "version", "status", "statusReason", "total", "lines", "placedAt", "updatedAt");
        });
    }

    @Test
    void aRejectionWritesTheRecordWithItsReason() {
        UUID orderId = api.placeOrder(customer, book);

        catalog.rejected(orderId, book);

        await().atMost(Duration.ofSeconds(30)).until(() -> records(orderId).size() == 2);
        JsonNode rejected = records(orderId).getLast();
        assertThat(statusAndVersion(rejected)).isEqualTo("REJECTED 1");
        assertThat(rejected.path("statusReason").asString()).contains(book, "INSUFFICIENT_STOCK");
    }

    @Test
    void theNoticeOfALongWaitAndTheDeadlineEachWriteTheRecord() {
        UUID orderId = api.placeOrder(customer, book);

        database.expireDeadline(orderId);
        await().atMost(Duration.ofSeconds(30)).until(() -> records(orderId).size() == 2);
        assertThat(records(orderId).getLast().path("statusReason").asString()).contains("Waiting for the catalog");

        database.passBusinessDeadline(orderId);
        await().atMost(Duration.ofSeconds(30)).until(() -> records(orderId).size() == 3);
        JsonNode rejected = records(orderId).getLast();
        assertThat(statusAndVersion(rejected)).isEqualTo("REJECTED 2");
        assertThat(rejected.path("statusReason").asString()).contains("stock not reserved within");
    }

    private List<JsonNode> records(UUID orderId) {
        return database.outbox(orderId.toString()).stream().filter(row -> row.type().equals(HISTORY))
                .map(OutboxRow::payload).toList();
    }

    private String statusAndVersion(JsonNode record) {
        return record.path("status").asString() + " " + record.path("version").asLong();
    }
}
