package io.polystore.sync.reconciliation.internal;

import io.polystore.events.ReleaseStock;
import io.polystore.sync.reconciliation.DriftKind;
import io.polystore.sync.reconciliation.internal.DriftRules.Finding;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class DriftRulesTest {

    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
    private static final Instant SETTLED_BEFORE = NOW.minus(Duration.ofMinutes(2));
    private static final Instant LONG_AGO = NOW.minus(Duration.ofHours(1));
    private static final Map<String, Integer> TWO_BOOKS = Map.of("book", 2);

    private final String orderId = UUID.randomUUID().toString();

    @Test
    void aConfirmedOrderWithItsConfirmedReservationIsNoDrift() {
        assertThat(compare(order("CONFIRMED", "CONFIRMED", LONG_AGO), reservation("CONFIRMED", TWO_BOOKS, LONG_AGO))).isEmpty();
    }

    @Test
    void finishedOrdersWhoseReservationHoldsNothingAreNoDrift() {
        assertThat(compare(order("CANCELLED", "CANCELLED", LONG_AGO), reservation("RELEASED", TWO_BOOKS, LONG_AGO))).isEmpty();
        assertThat(compare(order("REJECTED", "REJECTED", LONG_AGO), reservation("REJECTED", TWO_BOOKS, LONG_AGO))).isEmpty();
        assertThat(compare(order("REJECTED", "REJECTED", LONG_AGO), null)).isEmpty();
        assertThat(compare(null, reservation("EXPIRED", TWO_BOOKS, LONG_AGO))).isEmpty();
    }

    @Test
    void sagasInFlightAreNeverDrift() {
        // Waiting for the catalog's answer, for long: the saga's deadline handles it.
        assertThat(compare(order("PENDING", "AWAITING_STOCK", LONG_AGO), reservation("RESERVED", TWO_BOOKS, LONG_AGO))).isEmpty();
        // Cancelled, the release not yet confirmed.
        assertThat(compare(order("CANCELLED", "RELEASING", LONG_AGO), reservation("CONFIRMED", TWO_BOOKS, LONG_AGO))).isEmpty();
        // Confirmed a moment ago: the catalog has not yet turned the reservation into a sale.
        assertThat(compare(order("CONFIRMED", "CONFIRMED", NOW.minusSeconds(5)), reservation("RESERVED", TWO_BOOKS, LONG_AGO))).isEmpty();
        // Rejected after a timeout a moment ago: the ReleaseStock is on its way.
        assertThat(compare(order("REJECTED", "REJECTED", NOW.minusSeconds(5)), reservation("RESERVED", TWO_BOOKS, LONG_AGO))).isEmpty();
        // The reservation changed a moment ago.
        assertThat(compare(order("CANCELLED", "CANCELLED", LONG_AGO), reservation("RESERVED", TWO_BOOKS, NOW.minusSeconds(5)))).isEmpty();
    }

    @Test
    void aConfirmedOrderWithoutAConfirmedReservationIsDriftNoCommandRepairs() {
        Finding missing = single(compare(order("CONFIRMED", "CONFIRMED", LONG_AGO), null));
        Finding released = single(compare(order("CONFIRMED", "CONFIRMED", LONG_AGO), reservation("RELEASED", TWO_BOOKS, LONG_AGO)));
        Finding reserved = single(compare(order("CONFIRMED", "CONFIRMED", LONG_AGO), reservation("RESERVED", TWO_BOOKS, LONG_AGO)));

        assertThat(List.of(missing, released, reserved)).allSatisfy(finding -> {
            assertThat(finding.kind()).isEqualTo(DriftKind.CONFIRMED_WITHOUT_RESERVATION);
            assertThat(finding.orderId()).isEqualTo(orderId);
            assertThat(finding.release()).isNull();
        });
        assertThat(missing.detail()).isEqualTo("order CONFIRMED, no reservation");
        assertThat(released.detail()).isEqualTo("order CONFIRMED, reservation RELEASED");
    }

    @Test
    void aReservationHoldingStockForAnOrderThatIsNotLiveIsReleased() {
        for (OrderSnapshot order : new OrderSnapshot[]{order("CANCELLED", "CANCELLED", LONG_AGO), order("REJECTED", "REJECTED", LONG_AGO), null}) {
            for (String status : List.of("RESERVED", "CONFIRMED")) {
                Finding finding = single(compare(order, reservation(status, Map.of("book", 2, "pen", 1), LONG_AGO)));

                assertThat(finding.kind()).isEqualTo(DriftKind.RESERVATION_WITHOUT_LIVE_ORDER);
                assertThat(finding.detail()).isEqualTo("reservation " + status + " holds book x2, pen x1, "
                        + (order == null ? "no order" : "order " + order.status()));
                assertThat(finding.release()).isEqualTo(new ReleaseStock(UUID.fromString(orderId), "reconciliation: reservation "
                        + status + " without a live order (" + (order == null ? "no order" : "order " + order.status()) + ")"));
            }
        }
    }

    @Test
    void differentQuantitiesOfAConfirmedOrderAreAMismatch() {
        Finding finding = single(compare(order("CONFIRMED", "CONFIRMED", LONG_AGO),
                reservation("CONFIRMED", Map.of("book", 3, "pen", 1), LONG_AGO)));

        assertThat(finding.kind()).isEqualTo(DriftKind.QUANTITY_MISMATCH);
        assertThat(finding.detail()).isEqualTo("ordered book x2, reserved book x3, pen x1");
        assertThat(finding.release()).isNull();
    }

    @Test
    void aReservationKeyThatIsNoOrderIdIsReportedWithoutACommand() {
        Finding finding = single(DriftRules.compare(List.of(),
                List.of(new ReservationSnapshot("not-a-uuid", "RESERVED", TWO_BOOKS, LONG_AGO)), SETTLED_BEFORE));

        assertThat(finding.orderId()).isEqualTo("not-a-uuid");
        assertThat(finding.release()).isNull();
    }

    @Test
    void findingsComeInOrderIdOrder() {
        List<OrderSnapshot> orders = List.of(
                new OrderSnapshot("b", "CONFIRMED", "CONFIRMED", LONG_AGO, TWO_BOOKS),
                new OrderSnapshot("a", "CONFIRMED", "CONFIRMED", LONG_AGO, TWO_BOOKS));

        assertThat(DriftRules.compare(orders, List.of(), SETTLED_BEFORE)).extracting(Finding::orderId).containsExactly("a", "b");
    }

    private List<Finding> compare(OrderSnapshot order, ReservationSnapshot reservation) {
        return DriftRules.compare(order == null ? List.of() : List.of(order),
                reservation == null ? List.of() : List.of(reservation), SETTLED_BEFORE);
    }

    private OrderSnapshot order(String status, String sagaState, Instant changedAt) {
        return new OrderSnapshot(orderId, status, sagaState, changedAt, TWO_BOOKS);
    }

    private ReservationSnapshot reservation(String status, Map<String, Integer> quantities, Instant changedAt) {
        return new ReservationSnapshot(orderId, status, quantities, changedAt);
    }

    private static Finding single(List<Finding> findings) {
        assertThat(findings).hasSize(1);
        return findings.getFirst();
    }
}
