package io.polystore.order.placement;

import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderDatabase.OutboxRow;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static io.polystore.order.support.OrderApi.orderBody;
import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;

@OrderServiceIntegrationTest
class OrderPlacementIT {

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    @Value("${local.server.port}")
    int port;

    static String book;
    static String pen;
    static String dollarProduct;
    static String retired;
    final String alice = token("alice", "CUSTOMER");

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
            pen = catalog.product("1.99", "EUR");
            dollarProduct = catalog.product("3.00", "USD");
            retired = "product-" + UUID.randomUUID();
            catalog.announce(retired, "5.00", "EUR", false, 1);
            catalog.awaitSnapshot(retired);
        }
    }

    @Test
    void placesAPendingOrderPricedFromTheSnapshotAndWritesItsEventsToTheOutboxOnly() {
        Response response = api.place(alice, UUID.randomUUID().toString(), orderBody("EUR", book, pen));

        assertThat(response.status()).isEqualTo(201);
        UUID orderId = response.id();
        assertThat(response.header("Location")).isEqualTo("http://localhost:" + port + "/orders/" + orderId);
        assertThat(response.header("Idempotent-Replayed")).isEqualTo("false");
        JsonNode order = response.body();
        assertThat(order.path("status").asString()).isEqualTo("PENDING");
        assertThat(order.path("customerId").asString()).isEqualTo("alice");
        assertThat(order.path("total").path("amount").decimalValue()).isEqualByComparingTo("28.98");
        assertThat(order.path("total").path("currency").asString()).isEqualTo("EUR");
        assertThat(order.path("lines").get(0).path("unitPrice").path("amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(order.path("lines").get(0).path("lineTotal").path("amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(order.path("personalData").path("email").asString()).isEqualTo("alice@example.com");

        List<OutboxRow> outbox = database.outbox(orderId.toString());
        assertThat(outbox).extracting(OutboxRow::type).containsExactly("io.polystore.order.OrderPlaced",
                "io.polystore.order.OrderHistoryRecorded", "io.polystore.audit.SagaTransitioned",
                "io.polystore.catalog.ReserveStock", "io.polystore.audit.SagaTransitioned");
        assertThat(outbox.get(1).topic()).isEqualTo("orders.history");
        OutboxRow reserve = outbox.get(3);
        assertThat(reserve.topic()).isEqualTo("catalog.commands");
        assertThat(reserve.payload().path("lines").get(1).path("productId").asString()).isEqualTo(pen);
        assertThat(reserve.payload().path("lines").get(1).path("quantity").asInt()).isEqualTo(2);
        assertThat(outbox.getFirst().topic()).isEqualTo("orders.events");
        assertThat(outbox.getFirst().payload().path("total").path("amount").decimalValue()).isEqualByComparingTo("28.98");
        assertThat(database.sagaState(orderId)).isEqualTo("AWAITING_STOCK");
    }

    @Test
    void theSameKeyAndBodyReturnTheSameOrderOnce() {
        String key = UUID.randomUUID().toString();
        String body = orderBody("EUR", book);

        Response first = api.place(alice, key, body);
        Response again = api.place(alice, key, body);

        assertThat(again.status()).isEqualTo(201);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(database.outboxTypes(first.id().toString())).filteredOn(type -> type.endsWith("OrderPlaced")).hasSize(1);
    }

    @Test
    void concurrentRequestsWithOneKeyPlaceOneOrder() throws Exception {
        String key = UUID.randomUUID().toString();
        String body = orderBody("EUR", pen);
        long before = database.count("customer_order");
        Callable<Response> place = () -> api.place(alice, key, body);

        List<Response> responses;
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            responses = executor.invokeAll(List.of(place, place, place, place)).stream().map(future -> {
                try {
                    return future.get();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }

        assertThat(responses).extracting(Response::status).containsOnly(201);
        assertThat(responses).extracting(Response::id).containsOnly(responses.getFirst().id());
        assertThat(database.count("customer_order")).isEqualTo(before + 1);
    }

    @Test
    void theSameKeyWithAnotherBodyIs422AndPlacesNothing() {
        String key = UUID.randomUUID().toString();
        api.place(alice, key, orderBody("EUR", book));
        long orders = database.count("customer_order");

        Response other = api.place(alice, key, orderBody("EUR", pen));
        Response otherAddress = api.place(alice, key, orderBody("EUR", book).replace("Berlin", "Hamburg"));

        assertThat(other.status()).isEqualTo(422);
        assertThat(other.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(otherAddress.status()).isEqualTo(422);
        assertThat(database.count("customer_order")).isEqualTo(orders);
    }

    @Test
    void keysBelongToTheirCustomer() {
        String key = UUID.randomUUID().toString();
        Response alices = api.place(alice, key, orderBody("EUR", book));
        Response bobs = api.place(token("bob", "CUSTOMER"), key, orderBody("EUR", book));

        assertThat(bobs.status()).isEqualTo(201);
        assertThat(bobs.id()).isNotEqualTo(alices.id());
    }

    static Stream<Arguments> badOrders() {
        String valid = orderBody("EUR", "BOOK");
        return Stream.of(
                Arguments.of("zero quantity", valid.replace("\"quantity\":2", "\"quantity\":0"), "lines[0].quantity", "greater than 0"),
                Arguments.of("negative quantity", valid.replace("\"quantity\":2", "\"quantity\":-3"), "lines[0].quantity", "greater than 0"),
                Arguments.of("unknown product", orderBody("EUR", "PEN", "no-such-product"), "lines[1].productId", "unknown product no-such-product"),
                Arguments.of("inactive product", orderBody("EUR", "RETIRED"), "lines[0].productId", "not available"),
                Arguments.of("too many lines", orderBody("EUR", "p1", "p2", "p3", "p4", "p5", "p6"), "lines", "at most 5 lines"),
                Arguments.of("the same product twice", orderBody("EUR", "BOOK", "BOOK"), "lines[1].productId", "earlier line"),
                Arguments.of("wrong currency", orderBody("EUR", "USD_PRODUCT"), "currency", "must be USD"),
                Arguments.of("no currency code", orderBody("euro", "BOOK"), "currency", "ISO 4217"),
                Arguments.of("no lines", valid.replaceAll("\\[\\{.*}]", "[]"), "lines", "must not be empty"),
                Arguments.of("bad e-mail", valid.replace("alice@example.com", "alice"), "customer.email", "email address"),
                Arguments.of("unknown field", valid.replace("{\"currency\"", "{\"discount\": 5, \"currency\""), "discount", "unknown field"),
                Arguments.of("quantity not a number", valid.replace("\"quantity\":2", "\"quantity\":\"many\""), "lines[0].quantity", ""),
                // Issue 16: each of these was a 500 or silently accepted.
                Arguments.of("fractional quantity", valid.replace("\"quantity\":2", "\"quantity\":1.5"), "lines[0].quantity", "must be a whole number"),
                Arguments.of("NUL in a product id", valid.replace("\"BOOK\"", "\"BO\\u0000OK\""), "lines[0].productId", "NUL"),
                Arguments.of("lone surrogate in a name", valid.replace("Alice Example", "Alice \\ud800"), "customer.name", "surrogate"),
                Arguments.of("duplicate key", valid.replace("{\"currency\": \"EUR\"", "{\"currency\": \"EUR\", \"currency\": \"USD\""), "currency", "Duplicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOrders")
    void badInputIs400NamingTheFieldAndWritesNothing(String name, String body, String field, String reason) {
        long orders = database.count("customer_order");
        // Only a placement writes OrderPlaced; the sagas of earlier tests may still write their other events meanwhile.
        long placed = database.outboxCount("io.polystore.order.OrderPlaced");

        Response response = api.place(alice, UUID.randomUUID().toString(), body.replace("\"BOOK\"", "\"" + book + "\"")
                .replace("\"PEN\"", "\"" + pen + "\"").replace("\"RETIRED\"", "\"" + retired + "\"")
                .replace("\"USD_PRODUCT\"", "\"" + dollarProduct + "\""));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(response.body().path("errors").valueStream()
                .filter(error -> error.path("field").asString().equals(field))
                .map(error -> error.path("reason").asString()))
                .as("errors %s", response.body().path("errors")).anySatisfy(text -> assertThat(text).contains(reason));
        assertThat(database.count("customer_order")).isEqualTo(orders);
        assertThat(database.outboxCount("io.polystore.order.OrderPlaced")).isEqualTo(placed);
    }

    @Test
    void malformedJsonIs400() {
        long orders = database.count("customer_order");

        Response response = api.place(alice, UUID.randomUUID().toString(), "{\"currency\": \"EUR\", \"lines\": [");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("field").asString()).isEqualTo("lines");
        assertThat(response.body().path("errors").get(0).path("reason").asString()).contains("end-of-input");
        assertThat(database.count("customer_order")).isEqualTo(orders);
    }

    @Test
    void aMissingIdempotencyKeyIs400AndWritesNothing() {
        long orders = database.count("customer_order");

        Response response = api.place(alice, null, orderBody("EUR", book));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("field").asString()).isEqualTo("Idempotency-Key");
        assertThat(response.body().path("errors").get(0).path("reason").asString()).isEqualTo("header is required");
        assertThat(database.count("customer_order")).isEqualTo(orders);
    }

    @Test
    void anIdempotencyKeyOutsideVisibleAsciiIs400AndWritesNothing() {
        long orders = database.count("customer_order");

        // The JDK's client cannot send other than ASCII in a header: the end-to-end suite sends those bytes.
        for (String key : List.of("two words", "tab\tbed", "a,b c")) {
            Response response = api.place(alice, key, orderBody("EUR", book));

            assertThat(response.status()).as(key).isEqualTo(400);
            assertThat(response.body().path("errors").get(0).path("field").asString()).isEqualTo("Idempotency-Key");
        }
        assertThat(database.count("customer_order")).isEqualTo(orders);
    }

    @Test
    void theLocationOfAPlacedOrderIsItsPublicAddressBehindTheGateway() {
        Response direct = api.place(alice, UUID.randomUUID().toString(), orderBody("EUR", book));
        Response forwarded = api.place(alice, UUID.randomUUID().toString(), orderBody("EUR", book), Map.of(
                "X-Forwarded-Prefix", "/api", "X-Forwarded-Host", "shop.example.com", "X-Forwarded-Proto", "https",
                "X-Forwarded-Port", "443"));

        assertThat(direct.header("Location")).endsWith("/orders/" + direct.id()).startsWith("http://localhost:");
        assertThat(forwarded.header("Location")).isEqualTo("https://shop.example.com/api/orders/" + forwarded.id());
    }

    @Test
    void onlyCustomersPlaceOrders() {
        Response response = api.place(token("carol", "ORDER_MANAGER"), UUID.randomUUID().toString(), orderBody("EUR", book));

        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void aNewerPriceReplacesTheSnapshotAndAnOlderOneIsIgnored() {
        String productId = "product-" + UUID.randomUUID();
        catalog.announce(productId, "10.00", "EUR", true, 5);
        catalog.awaitSnapshot(productId);
        catalog.announce(productId, "8.00", "EUR", true, 3);
        catalog.announce(productId, "11.00", "EUR", true, 6);
        String marker = catalog.product("1.00", "EUR");
        catalog.awaitSnapshot(marker);

        UUID orderId = api.placeOrder("alice", productId);

        JsonNode order = api.get(alice, "/orders/" + orderId).body();
        assertThat(order.path("lines").get(0).path("unitPrice").path("amount").decimalValue()).isEqualByComparingTo("11.00");
    }
}
