package io.polystore.catalog.reservation;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.inventory.InventoryService;
import io.polystore.catalog.inventory.InventoryView;
import io.polystore.catalog.product.CreateProductRequest;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.catalog.product.UpdateProductRequest;
import io.polystore.catalog.reservation.StockReservations.Outcome;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderLine;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockRejected;
import io.polystore.events.StockRejected.Reason;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.surrealdb.SurrealClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The saga participant against the real SurrealDB engine, called directly (the Kafka side is in SagaMessagingIT). */
@CatalogIntegrationTest
class StockReservationsIT {

    @Autowired
    StockReservations reservations;
    @Autowired
    ProductCatalog products;
    @Autowired
    InventoryService inventory;
    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;

    OutboxReader outbox;

    @BeforeEach
    void setUp() {
        outbox = new OutboxReader(surreal, properties);
    }

    @Test
    void reservesEveryLineAndAnswersStockReserved() {
        String a = product(10);
        String b = product(3);
        UUID order = UUID.randomUUID();

        Outcome outcome = reservations.reserve(envelope(new ReserveStock(order, List.of(line(a, 4), line(b, 3)), deadline())),
                new ReserveStock(order, List.of(line(a, 4), line(b, 3)), deadline()));

        assertThat(outcome).isEqualTo(Outcome.RESERVED);
        assertStock(a, 6, 4, 0);
        assertStock(b, 0, 3, 0);
        assertThat(reservations.get(order.toString()).status()).isEqualTo("RESERVED");
        assertThat(replies(order)).singleElement().isInstanceOfSatisfying(StockReserved.class, reserved -> {
            assertThat(reserved.reservationId()).isEqualTo(order.toString());
            assertThat(reserved.lines()).containsExactly(line(a, 4), line(b, 3));
            assertThat(reserved.expiresAt()).isAfter(Instant.now().plus(properties.reservations().ttl()).minusSeconds(60));
        });
    }

    @Test
    void reservesNothingWhenOneLineCannotBeReservedAndSaysWhyPerLine() {
        String plenty = product(10);
        String scarce = product(1);
        String inactive = product(5);
        deactivate(inactive);
        UUID order = UUID.randomUUID();
        ReserveStock command = new ReserveStock(order,
                List.of(line(plenty, 2), line(scarce, 2), line(inactive, 1), line("no-such-product", 1)), deadline());

        assertThat(reservations.reserve(envelope(command), command)).isEqualTo(Outcome.REJECTED);

        assertStock(plenty, 10, 0, 0);
        assertStock(scarce, 1, 0, 0);
        assertThat(reservations.get(order.toString()).status()).isEqualTo("REJECTED");
        assertThat(replies(order)).singleElement().isInstanceOfSatisfying(StockRejected.class, rejected ->
                assertThat(rejected.rejections()).containsExactly(
                        new StockRejected.Rejection(scarce, 2, 1, Reason.INSUFFICIENT_STOCK),
                        new StockRejected.Rejection(inactive, 1, 5, Reason.INACTIVE_PRODUCT),
                        new StockRejected.Rejection("no-such-product", 1, 0, Reason.UNKNOWN_PRODUCT)));
    }

    @Test
    void appliesARedeliveredCommandOnce() {
        String a = product(5);
        UUID order = UUID.randomUUID();
        ReserveStock command = new ReserveStock(order, List.of(line(a, 2)), deadline());
        EventEnvelope envelope = envelope(command);

        assertThat(reservations.reserve(envelope, command)).isEqualTo(Outcome.RESERVED);
        assertThat(reservations.reserve(envelope, command)).isEqualTo(Outcome.DUPLICATE);
        EventEnvelope again = envelope(command);
        assertThat(reservations.reserve(again, command)).as("same order, new event id").isEqualTo(Outcome.ACKNOWLEDGED);

        assertStock(a, 3, 2, 0);
        assertThat(replies(order)).hasSize(1);
    }

    @Test
    void releasesOnceAndGivesTheUnitsBack() {
        String a = product(5);
        UUID order = UUID.randomUUID();
        ReserveStock reserve = new ReserveStock(order, List.of(line(a, 5)), deadline());
        reservations.reserve(envelope(reserve), reserve);
        ReleaseStock release = new ReleaseStock(order, "saga deadline passed");
        EventEnvelope releaseEnvelope = envelope(release);

        assertThat(reservations.release(releaseEnvelope, release)).isEqualTo(Outcome.RELEASED);
        assertThat(reservations.release(releaseEnvelope, release)).isEqualTo(Outcome.DUPLICATE);
        assertThat(reservations.release(envelope(release), release)).isEqualTo(Outcome.ACKNOWLEDGED);

        assertStock(a, 5, 0, 0);
        assertThat(reservations.get(order.toString()).releaseReason()).isEqualTo("saga deadline passed");
        assertThat(replies(order)).hasSize(2).last().isEqualTo(new StockReleased(order, order.toString()));
    }

    @Test
    void aReleaseBeforeTheReservationKeepsTheLateReservationFromTakingStock() {
        String a = product(5);
        UUID order = UUID.randomUUID();
        ReleaseStock release = new ReleaseStock(order, "order cancelled");
        ReserveStock lateReserve = new ReserveStock(order, List.of(line(a, 2)), deadline());

        assertThat(reservations.release(envelope(release), release)).isEqualTo(Outcome.RELEASED);
        assertThat(reservations.reserve(envelope(lateReserve), lateReserve)).isEqualTo(Outcome.ACKNOWLEDGED);

        assertStock(a, 5, 0, 0);
        assertThat(replies(order)).containsExactly(new StockReleased(order, order.toString()));
    }

    @Test
    void confirmationTurnsReservedUnitsIntoSoldOnesAndAReleaseAfterItRestocks() {
        String a = product(5);
        UUID order = UUID.randomUUID();
        ReserveStock reserve = new ReserveStock(order, List.of(line(a, 2)), deadline());
        reservations.reserve(envelope(reserve), reserve);
        OrderConfirmed confirmed = new OrderConfirmed(order, "customer-" + order, List.of(line(a, 2)), Instant.now());

        assertThat(reservations.confirm(envelope(confirmed), confirmed)).isEqualTo(Outcome.CONFIRMED);
        assertStock(a, 3, 0, 2);
        assertThat(reservations.get(order.toString()).status()).isEqualTo("CONFIRMED");

        ReleaseStock cancel = new ReleaseStock(order, "cancelled after confirmation");
        assertThat(reservations.release(envelope(cancel), cancel)).isEqualTo(Outcome.RELEASED);
        assertStock(a, 5, 0, 0);
    }

    @Test
    void aConfirmationBeforeItsReservationChangesNothingUntilTheReservationIsThere() {
        String a = product(5);
        UUID order = UUID.randomUUID();
        OrderConfirmed confirmed = new OrderConfirmed(order, "customer-" + order, List.of(line(a, 2)), Instant.now());

        assertThatThrownBy(() -> reservations.confirm(envelope(confirmed), confirmed))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("before its ReserveStock");
        assertStock(a, 5, 0, 0);

        ReserveStock reserve = new ReserveStock(order, List.of(line(a, 2)), deadline());
        reservations.reserve(envelope(reserve), reserve);
        assertThat(reservations.confirm(envelope(confirmed), confirmed)).isEqualTo(Outcome.CONFIRMED);
        assertStock(a, 3, 0, 2);
        assertThat(reservations.get(order.toString()).status()).isEqualTo("CONFIRMED");
    }

    @Test
    void theSweepReleasesExpiredReservations() {
        String a = product(4);
        UUID order = UUID.randomUUID();
        ReserveStock reserve = new ReserveStock(order, List.of(line(a, 3)), deadline());
        reservations.reserve(envelope(reserve), reserve);
        surreal.query("UPDATE type::record('reservation', $key) SET expires_at = time::now() - 1m",
                Map.of("key", order.toString())).requireSuccess();

        assertThat(reservations.releaseExpired()).isGreaterThanOrEqualTo(1);

        assertStock(a, 4, 0, 0);
        assertThat(reservations.get(order.toString()).status()).isEqualTo("EXPIRED");
        assertThat(replies(order)).last().isEqualTo(new StockReleased(order, order.toString()));
        ReleaseStock late = new ReleaseStock(order, "saga deadline");
        assertThat(reservations.release(envelope(late), late)).isEqualTo(Outcome.ACKNOWLEDGED);
        assertStock(a, 4, 0, 0);
    }

    @Test
    void fiftyConcurrentReservationsForTheLastTenUnitsReserveExactlyTen() throws Exception {
        String scarce = product(10);
        List<UUID> orders = new ArrayList<>();
        List<Callable<Outcome>> customers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 50; i++) {
            UUID order = UUID.randomUUID();
            orders.add(order);
            ReserveStock command = new ReserveStock(order, List.of(line(scarce, 1)), deadline());
            customers.add(() -> {
                start.await();
                return reservations.reserve(envelope(command), command);
            });
        }

        List<Outcome> outcomes = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(50)) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Callable<Outcome> customer : customers) {
                futures.add(threads.submit(customer));
            }
            start.countDown();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get());
            }
        }

        assertThat(outcomes).filteredOn(Outcome.RESERVED::equals).hasSize(10);
        assertThat(outcomes).filteredOn(Outcome.REJECTED::equals).hasSize(40);
        assertStock(scarce, 0, 10, 0);
        long reservedReplies = orders.stream().filter(order -> replies(order).getFirst() instanceof StockReserved).count();
        assertThat(reservedReplies).isEqualTo(10);
    }

    /**
     * The burst after an outage: confirmations of one customer's orders on the same two products, each delivered
     * twice at once (a rebalance), while new orders reserve those products. Every confirmation sells its units once.
     */
    @Test
    void concurrentConfirmationsAndReservationsOnTheSameProductsKeepTheStockExact() throws Exception {
        List<String> hot = List.of(product(1000), product(1000));
        String customer = "customer-" + UUID.randomUUID();
        List<OrderConfirmed> confirmations = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            List<OrderLine> lines = i % 3 == 0 ? List.of(line(hot.get(0), 1), line(hot.get(1), 1)) : List.of(line(hot.get(i % 2), 2));
            ReserveStock reserve = new ReserveStock(UUID.randomUUID(), lines, deadline());
            reservations.reserve(envelope(reserve), reserve);
            confirmations.add(new OrderConfirmed(reserve.orderId(), customer, lines, Instant.now()));
        }

        List<Callable<Outcome>> deliveries = new ArrayList<>();
        for (OrderConfirmed confirmed : confirmations) {
            EventEnvelope delivery = envelope(confirmed);
            deliveries.add(() -> reservations.confirm(delivery, confirmed));
            deliveries.add(() -> reservations.confirm(delivery, confirmed));
            ReserveStock another = new ReserveStock(UUID.randomUUID(), confirmed.lines(), deadline());
            deliveries.add(() -> reservations.reserve(envelope(another), another));
        }
        try (ExecutorService consumers = Executors.newFixedThreadPool(12)) {
            for (Future<Outcome> delivered : consumers.invokeAll(deliveries)) {
                try {
                    delivered.get();
                } catch (ExecutionException e) {
                    // A first purchase of a product by a customer that another transaction recorded meanwhile fails
                    // on the relation's unique index; the platform's error handler delivers it again.
                }
            }
            for (Callable<Outcome> again : deliveries) {
                again.call();
            }
        }

        assertThat(confirmations).allSatisfy(confirmed ->
                assertThat(reservations.get(confirmed.orderId().toString()).status()).isEqualTo("CONFIRMED"));
        // Per product: 20 orders of one unit and 20 of two, confirmed; as many units again reserved by the new orders.
        assertStock(hot.get(0), 1000 - 120, 60, 60);
        assertStock(hot.get(1), 1000 - 120, 60, 60);
    }

    private List<PolystoreEvent> replies(UUID order) {
        return outbox.eventsFor(order.toString()).stream().map(EventEnvelope::data).toList();
    }

    private void assertStock(String productId, long available, long reserved, long sold) {
        InventoryView stock = inventory.get(productId);
        assertThat(List.of(stock.available(), stock.reserved(), stock.sold()))
                .as("available, reserved, sold of %s", productId)
                .containsExactly(available, reserved, sold);
    }

    private String product(int stock) {
        return products.create(new CreateProductRequest("SKU-" + UUID.randomUUID(), "Reservable",
                null, new PriceRequest(new BigDecimal("9.99"), "EUR"), null, null, true, stock)).id();
    }

    private void deactivate(String id) {
        var current = products.get(id);
        products.update(id, new UpdateProductRequest(current.sku(), current.name(), current.description(),
                new PriceRequest(current.price().amount(), current.price().currency()), null, null, false,
                current.version()));
    }

    private static OrderLine line(String productId, int quantity) {
        return new OrderLine(productId, quantity);
    }

    private static Instant deadline() {
        return Instant.now().plusSeconds(300);
    }

    private static EventEnvelope envelope(PolystoreEvent event) {
        return EventEnvelope.of(event, "/order-service", Clock.systemUTC());
    }
}
