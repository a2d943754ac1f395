package io.polystore.catalog.reservation;

import io.polystore.catalog.reservation.internal.ReservationStatements.LineState;
import io.polystore.events.OrderLine;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockRejected.Reason;
import io.polystore.events.StockRejected.Rejection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StockReservationsTest {

    @Test
    void rejectsEachLineThatCannotBeReservedWithItsReason() {
        ReserveStock command = new ReserveStock(UUID.randomUUID(), List.of(new OrderLine("ok", 2),
                new OrderLine("short", 3), new OrderLine("off", 1), new OrderLine("gone", 1), new OrderLine("exact", 4)),
                Instant.now());
        List<LineState> state = List.of(
                line("ok", true, true, 5), line("short", true, true, 2), line("off", true, false, 9),
                line("gone", false, false, -1), line("exact", true, true, 4));

        assertThat(StockReservations.rejections(command, state)).containsExactly(
                new Rejection("short", 3, 2, Reason.INSUFFICIENT_STOCK),
                new Rejection("off", 1, 9, Reason.INACTIVE_PRODUCT),
                new Rejection("gone", 1, 0, Reason.UNKNOWN_PRODUCT));
    }

    @Test
    void aProductWithoutStockRowHasNothingAvailable() {
        ReserveStock command = new ReserveStock(UUID.randomUUID(), List.of(new OrderLine("p", 1)), Instant.now());

        assertThat(StockReservations.rejections(command, List.of(line("p", true, true, -1))))
                .containsExactly(new Rejection("p", 1, 0, Reason.INSUFFICIENT_STOCK));
    }

    private static LineState line(String id, boolean exists, boolean active, long available) {
        return new LineState(id, exists, active, available);
    }
}
