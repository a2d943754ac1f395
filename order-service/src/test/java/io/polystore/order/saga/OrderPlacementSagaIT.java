package io.polystore.order.saga;

import io.polystore.events.EventEnvelope;
import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderServiceIntegrationTest;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@OrderServiceIntegrationTest
class OrderPlacementSagaIT {

    private static final String RESERVE = "io.polystore.catalog.ReserveStock";
    private static final String RELEASE = "io.polystore.catalog.ReleaseStock";

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    static String book;
    final String alice = token("alice", "CUSTOMER");

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
    }

    @Test
    void reservedStockConfirmsTheOrder() {
        UUID orderId = api.placeOrder("alice", book);

        catalog.reserved(orderId, "reservation-1", book);

        awaitSaga(orderId, "CONFIRMED");
        assertThat(database.orderStatus(orderId)).isEqualTo("CONFIRMED");
        assertThat(database.outboxTypes(orderId.toString())).contains("io.polystore.order.OrderConfirmed");
        JsonNode confirmed = database.outbox(orderId.toString()).stream()
                .filter(row -> row.type().endsWith("OrderConfirmed")).findFirst().orElseThrow().payload();
        assertThat(confirmed.path("customerId").asString()).isEqualTo("alice");
        assertThat(history(orderId)).containsExactly("null>PENDING", "PENDING>AWAITING_STOCK", "AWAITING_STOCK>CONFIRMED");
    }

    @Test
    void rejectedStockRejectsTheOrderWithTheReason() {
        UUID orderId = api.placeOrder("alice", book);

        catalog.rejected(orderId, book);

        awaitSaga(orderId, "REJECTED");
        JsonNode order = api.get(alice, "/orders/" + orderId).body();
        assertThat(order.path("status").asString()).isEqualTo("REJECTED");
        assertThat(order.path("statusReason").asString()).contains(book, "INSUFFICIENT_STOCK");
        assertThat(database.outboxTypes(orderId.toString())).contains("io.polystore.order.OrderRejected").doesNotContain(RELEASE);
    }

    @Test
    void anOrderWhoseStockReplyIsLongInComingStaysPendingSaysWhyAndIsConfirmedWhenTheReplyComes() {
        UUID orderId = api.placeOrder("alice", book);

        database.expireDeadline(orderId); // the notice, well before the business deadline

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                api.get(alice, "/orders/" + orderId).body().path("statusReason").asString()).contains("Waiting for the catalog"));
        JsonNode waiting = api.get(alice, "/orders/" + orderId).body();
        assertThat(waiting.path("status").asString()).isEqualTo("PENDING");
        assertThat(waiting.path("statusReason").asString()).contains("rejected if it has not by");
        assertThat(database.sagaState(orderId)).isEqualTo("AWAITING_STOCK");
        assertThat(database.outboxTypes(orderId.toString())).doesNotContain("io.polystore.order.OrderRejected", RELEASE);

        catalog.reserved(orderId, "reservation-late", book);

        awaitSaga(orderId, "CONFIRMED");
        JsonNode confirmed = api.get(alice, "/orders/" + orderId).body();
        assertThat(confirmed.path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(confirmed.path("statusReason").isNull() || confirmed.path("statusReason").isMissingNode())
                .as("no reason once confirmed: %s", confirmed).isTrue();
        assertThat(history(orderId)).containsExactly("null>PENDING", "PENDING>AWAITING_STOCK",
                "AWAITING_STOCK>AWAITING_STOCK", "AWAITING_STOCK>CONFIRMED");
    }

    @Test
    void aReservationPastTheBusinessDeadlineRejectsTheOrderAndReleasesTheStock() {
        UUID orderId = api.placeOrder("alice", book);

        database.passBusinessDeadline(orderId);

        awaitSaga(orderId, "REJECTED");
        assertThat(database.orderStatus(orderId)).isEqualTo("REJECTED");
        assertThat(database.outboxTypes(orderId.toString())).contains("io.polystore.order.OrderRejected", RELEASE);
        assertThat(api.get(alice, "/orders/" + orderId + "/history").body().get(2).path("reason").asString())
                .contains("stock not reserved within PT10M");

        // The reservation's late answer changes nothing, but its stock is released once more to be safe.
        catalog.reserved(orderId, "late-reservation", book);
        await().atMost(Duration.ofSeconds(30)).until(() -> count(orderId, RELEASE) == 2);
        assertThat(database.sagaState(orderId)).isEqualTo("REJECTED");
    }

    @Test
    void cancellingAConfirmedOrderReleasesItsStock() {
        UUID orderId = api.placeOrder("alice", book);
        catalog.reserved(orderId, "reservation-2", book);
        awaitSaga(orderId, "CONFIRMED");

        Response cancelled = api.post(alice, "/orders/" + orderId + "/cancel");

        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.body().path("status").asString()).isEqualTo("CANCELLED");
        assertThat(database.sagaState(orderId)).isEqualTo("RELEASING");
        assertThat(database.outboxTypes(orderId.toString())).contains("io.polystore.order.OrderCancelled", RELEASE);

        catalog.released(orderId, "reservation-2");

        awaitSaga(orderId, "CANCELLED");
        assertThat(history(orderId)).endsWith("CONFIRMED>RELEASING", "RELEASING>CANCELLED");
        assertThat(api.post(alice, "/orders/" + orderId + "/cancel").status()).isEqualTo(200);
        assertThat(count(orderId, RELEASE)).isEqualTo(1);
    }

    @Test
    void aReleaseThatIsNotConfirmedIsSentAgain() {
        UUID orderId = api.placeOrder("alice", book);
        api.post(alice, "/orders/" + orderId + "/cancel");

        database.expireDeadline(orderId);

        await().atMost(Duration.ofSeconds(30)).until(() -> count(orderId, RELEASE) == 2);
        assertThat(database.sagaState(orderId)).isEqualTo("RELEASING");
    }

    @Test
    void aRejectedOrderCannotBeCancelled() {
        UUID orderId = api.placeOrder("alice", book);
        catalog.rejected(orderId, book);
        awaitSaga(orderId, "REJECTED");

        Response response = api.post(alice, "/orders/" + orderId + "/cancel");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.body().path("orderStatus").asString()).isEqualTo("REJECTED");
    }

    @Test
    void aRedeliveredReplyIsAppliedOnce() {
        UUID orderId = api.placeOrder("alice", book);
        api.post(alice, "/orders/" + orderId + "/cancel");
        EventEnvelope released = catalog.released(orderId, "reservation-3");
        awaitSaga(orderId, "CANCELLED");

        catalog.publish(released);
        catalog.publish(released);
        // A later event of the same order, to know the redeliveries before it were consumed.
        EventEnvelope marker = catalog.rejected(orderId, book);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(marker));

        assertThat(history(orderId)).filteredOn(step -> step.endsWith(">CANCELLED")).hasSize(1);
        assertThat(database.sagaState(orderId)).isEqualTo("CANCELLED");
    }

    @Test
    void repliesInAnyOrderEndInTheRightState() {
        UUID orderId = api.placeOrder("alice", book);
        api.post(alice, "/orders/" + orderId + "/cancel");

        // The release overtakes the reservation it released.
        catalog.released(orderId, "reservation-4");
        EventEnvelope reserved = catalog.reserved(orderId, "reservation-4", book);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(reserved));

        assertThat(database.sagaState(orderId)).isEqualTo("CANCELLED");
        assertThat(database.orderStatus(orderId)).isEqualTo("CANCELLED");
        assertThat(count(orderId, RELEASE)).isEqualTo(1);

        // A confirmed order ignores a rejection that arrives after its reservation.
        UUID confirmedId = api.placeOrder("alice", book);
        catalog.reserved(confirmedId, "reservation-5", book);
        EventEnvelope lateRejection = catalog.rejected(confirmedId, book);
        await().atMost(Duration.ofSeconds(30)).until(() -> processed(lateRejection));
        assertThat(database.orderStatus(confirmedId)).isEqualTo("CONFIRMED");
    }

    @Test
    void theSagaIsAuditedStepByStep() {
        UUID orderId = api.placeOrder("alice", book);

        List<JsonNode> audited = database.outbox(orderId.toString()).stream()
                .filter(row -> row.type().equals("io.polystore.audit.SagaTransitioned"))
                .map(row -> row.payload()).toList();

        assertThat(audited).extracting(step -> step.path("to").asString()).containsExactly("PENDING", "AWAITING_STOCK");
        assertThat(database.outbox(orderId.toString()).stream().filter(row -> row.type().equals(RESERVE)).findFirst()
                .orElseThrow().topic()).isEqualTo("catalog.commands");
    }

    @Test
    void aReplyAboutAnOrderThisDatabaseDoesNotHaveHoldsUpNoLaterReply() {
        UUID orderId = api.placeOrder("alice", book);
        // An order a restore lost: its reply comes first, on the partition the real order's reply takes.
        UUID lost = onThePartitionOf(orderId);
        catalog.reserved(lost, "reservation-lost", book);
        catalog.reserved(orderId, "reservation-6", book);

        awaitSaga(orderId, "CONFIRMED");
        assertThat(database.outboxTypes(lost.toString())).isEmpty();
    }

    /** An order id whose events Kafka's default partitioner puts on the same partition as {@code orderId}'s. */
    private UUID onThePartitionOf(UUID orderId) {
        int partitions = catalog.replyPartitions();
        int partition = partition(orderId, partitions);
        UUID other;
        do {
            other = UUID.randomUUID();
        } while (partition(other, partitions) != partition);
        return other;
    }

    private static int partition(UUID key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private void awaitSaga(UUID orderId, String state) {
        await().atMost(Duration.ofSeconds(30)).until(() -> database.sagaState(orderId).equals(state));
    }

    private List<String> history(UUID orderId) {
        Response response = api.get(alice, "/orders/" + orderId + "/history");
        assertThat(response.status()).isEqualTo(200);
        return response.body().valueStream()
                .map(step -> (step.path("from").isNull() ? "null" : step.path("from").asString()) + ">" + step.path("to").asString())
                .toList();
    }

    private long count(UUID orderId, String type) {
        return database.outboxTypes(orderId.toString()).stream().filter(type::equals).count();
    }

    private boolean processed(EventEnvelope envelope) {
        return database.processed(envelope.id());
    }
}
