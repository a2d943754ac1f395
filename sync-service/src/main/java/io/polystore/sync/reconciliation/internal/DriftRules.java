package io.polystore.sync.reconciliation.internal;

import io.polystore.events.ReleaseStock;
import io.polystore.sync.reconciliation.DriftKind;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Compares orders with reservations the way the order saga leaves them once it is done: a CONFIRMED order has a
 * CONFIRMED reservation with the same quantities, and only such an order holds stock. Orders whose saga still waits
 * for the catalog, and orders or reservations changed within the grace period, are skipped, so a saga in flight is
 * never drift.
 */
public final class DriftRules {

    private DriftRules() {
    }

    /**
     * @param release the command that repairs the drift, or null when no command of the platform can
     */
    public record Finding(DriftKind kind, String orderId, String detail, ReleaseStock release) {
    }

    public static List<Finding> compare(Collection<OrderSnapshot> orders, Collection<ReservationSnapshot> reservations,
                                        Instant settledBefore) {
        Map<String, OrderSnapshot> ordersById = index(orders, OrderSnapshot::orderId);
        Map<String, ReservationSnapshot> reservationsById = index(reservations, ReservationSnapshot::orderId);
        TreeSet<String> orderIds = new TreeSet<>(ordersById.keySet());
        orderIds.addAll(reservationsById.keySet());
        List<Finding> findings = new ArrayList<>();
        for (String orderId : orderIds) {
            OrderSnapshot order = ordersById.get(orderId);
            ReservationSnapshot reservation = reservationsById.get(orderId);
            boolean settled = (order == null || !order.inFlight(settledBefore))
                    && (reservation == null || reservation.changedAt().isBefore(settledBefore));
            if (settled) {
                finding(orderId, order, reservation).ifPresent(findings::add);
            }
        }
        return findings;
    }

    private static Optional<Finding> finding(String orderId, OrderSnapshot order, ReservationSnapshot reservation) {
        if (order != null && order.confirmed()) {
            if (reservation == null || !reservation.confirmed()) {
                return Optional.of(new Finding(DriftKind.CONFIRMED_WITHOUT_RESERVATION, orderId, "order CONFIRMED, "
                        + (reservation == null ? "no reservation" : "reservation " + reservation.status()), null));
            }
            if (!order.quantities().equals(reservation.quantities())) {
                return Optional.of(new Finding(DriftKind.QUANTITY_MISMATCH, orderId,
                        "ordered " + units(order.quantities()) + ", reserved " + units(reservation.quantities()), null));
            }
            return Optional.empty();
        }
        if (reservation != null && reservation.holdsStock()) {
            String orderState = order == null ? "no order" : "order " + order.status();
            String detail = "reservation " + reservation.status() + " holds " + units(reservation.quantities()) + ", " + orderState;
            return Optional.of(new Finding(DriftKind.RESERVATION_WITHOUT_LIVE_ORDER, orderId, detail,
                    reservation.orderUuid().map(id -> new ReleaseStock(id, "reconciliation: reservation " + reservation.status()
                            + " without a live order (" + orderState + ")")).orElse(null)));
        }
        return Optional.empty();
    }

    /** {@code p1 x2, p2 x1}, by product id. */
    private static String units(Map<String, Integer> quantities) {
        return new TreeMap<>(quantities).entrySet().stream()
                .map(line -> line.getKey() + " x" + line.getValue()).collect(Collectors.joining(", "));
    }

    private static <T> Map<String, T> index(Collection<T> items, Function<T, String> key) {
        return items.stream().collect(Collectors.toMap(key, Function.identity(), (first, second) -> first));
    }
}
