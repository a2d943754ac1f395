package io.polystore.catalog.reservation.internal;

import io.polystore.events.OrderLine;
import io.polystore.events.StockRejected;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealQl;

import java.time.Instant;
import java.util.List;

import static io.polystore.catalog.internal.CatalogTransactions.STALE;
import static io.polystore.surrealdb.SurrealQl.of;
import static io.polystore.surrealdb.SurrealQl.throwIf;
import static io.polystore.surrealdb.SurrealQl.transaction;

/**
 * The SurrealQL of the saga participant and the rows it reads. Fields of records are read with {@code LET} before
 * any {@code IF}: SurrealDB 3.0.2 fails a field lookup through a record id inside an {@code IF} statement ("Specify
 * a database to use"). Each command is decided on a read of the state it depends on, then applied in one transaction
 * that records the event in the inbox, re-reads that state and throws {@code stale} if it changed, changes stock and
 * reservation, and writes the reply to the outbox (the caller's piece, last).
 */
public final class ReservationStatements {

    /** Per line: whether the product exists and is active, and the units available; -1 for no stock row. */
    private static final SurrealQl LET_STOCK_STATE = of("""
            LET $state = {
                reservation: type::record('reservation', $order_id).status ?? 'NONE',
                lines: array::map($lines, |$line| {
                    product_id: $line.product_id,
                    exists: record::exists(type::record('product', $line.product_id)),
                    active: type::record('product', $line.product_id).active ?? false,
                    available: type::record('inventory', $line.product_id).available ?? -1
                })
            };""");

    /** Its result: {@link StockRead}. */
    public static final SurrealQl READ_STOCK = LET_STOCK_STATE.then(of("""
            RETURN {
                processed: record::exists(type::record('inbox', $event_id)),
                state: $state
            };"""));

    private static final SurrealQl RECORD_IN_INBOX = of(
            "CREATE type::record('inbox', $event_id) SET type = $event_type, processed_at = $now;");

    /**
     * What a transaction that reserves without a read first throws when it cannot: the order has a reservation, or a
     * line's product is unknown, inactive or short of stock. The caller then reads and decides.
     */
    public static final String UNDECIDED = "undecided";

    /** No reservation for the order yet, and every line's product active with the units available. */
    private static final SurrealQl RESERVABLE = of("""
            LET $reservable = (type::record('reservation', $order_id).status ?? 'NONE') = 'NONE'
                AND array::len(array::filter($lines, |$line|
                    !((type::record('product', $line.product_id).active ?? false)
                        AND (type::record('inventory', $line.product_id).available ?? -1) >= $line.quantity))) = 0;""")
            .then(throwIf("!$reservable", UNDECIDED));

    private static final SurrealQl STOCK_STATE_UNCHANGED = LET_STOCK_STATE.then(throwIf("$state != $observed", STALE));

    private static final SurrealQl HOLD_STOCK = of("""
            FOR $line IN $lines {
                UPDATE type::record('inventory', $line.product_id)
                    SET available -= $line.quantity, reserved += $line.quantity, updated_at = $now;
            };
            CREATE type::record('reservation', $order_id) CONTENT {
                order_id: $order_id, status: 'RESERVED', lines: $lines, expires_at: $expires_at,
                created_at: $now, updated_at: $now
            };""");

    private static final SurrealQl RECORD_REJECTION = of("""
            CREATE type::record('reservation', $order_id) CONTENT {
                order_id: $order_id, status: 'REJECTED', lines: $lines, rejections: $rejections,
                created_at: $now, updated_at: $now
            };""");

    /** Its result: {@link ReservationRead}. */
    public static final SurrealQl READ_RESERVATION = of("""
            LET $reservation = type::record('reservation', $order_id);
            RETURN {
                processed: record::exists(type::record('inbox', $event_id)),
                status: $reservation.status ?? 'NONE'
            };""");

    private static final SurrealQl LET_UNCHANGED_RESERVATION = of("""
            LET $reservation = type::record('reservation', $order_id);
            LET $current_status = $reservation.status ?? 'NONE';
            LET $held = $reservation.lines ?? [];""").then(throwIf("$current_status != $observed_status", STALE));

    private static final SurrealQl RETURN_RESERVED_UNITS = returnUnitsFrom("reserved");
    private static final SurrealQl RETURN_SOLD_UNITS = returnUnitsFrom("sold");

    /** A release before any reservation: remembered, so that a late ReserveStock reserves nothing. */
    private static final SurrealQl RECORD_RELEASE = of("""
            CREATE $reservation CONTENT {
                order_id: $order_id, status: 'RELEASED', lines: [], release_reason: $reason,
                created_at: $now, updated_at: $now
            };""");

    /** An order is final: its reserved units become sold (if it still held them) and its lines feed the graph. */
    private static final SurrealQl SELL_AND_RECORD_PURCHASE = of("""
            IF $observed_status = 'RESERVED' {
                FOR $line IN $held {
                    UPDATE type::record('inventory', $line.product_id)
                        SET reserved -= $line.quantity, sold += $line.quantity, updated_at = $now;
                };
                UPDATE $reservation SET status = 'CONFIRMED', updated_at = $now;
            };
            LET $customer = type::record('customer', $customer_id);
            IF !record::exists($customer) { CREATE $customer SET first_seen_at = $now };
            LET $products = array::filter(array::map($product_ids, |$id| type::record('product', $id)),
                |$product| record::exists($product));
            FOR $product IN $products {
                INSERT RELATION INTO purchased { in: $customer, out: $product, times: 1, last_order_id: $order_id,
                    last_purchased_at: $now }
                ON DUPLICATE KEY UPDATE times += 1, last_order_id = $order_id, last_purchased_at = $now;
                FOR $other IN $products {
                    IF $other != $product {
                        INSERT RELATION INTO bought_together { in: $product, out: $other, weight: 1 }
                        ON DUPLICATE KEY UPDATE weight += 1;
                    };
                };
            };""");

    /** Records the event only: nothing to change. */
    public static final SurrealQl ACKNOWLEDGE = transaction(RECORD_IN_INBOX, LET_UNCHANGED_RESERVATION);

    public static final SurrealQl CONFIRM = transaction(RECORD_IN_INBOX, LET_UNCHANGED_RESERVATION,
            SELL_AND_RECORD_PURCHASE);

    /** Its rows: {@link ExpiredRow}. */
    public static final SurrealQl EXPIRED = of("""
            SELECT order_id, expires_at FROM reservation
            WHERE status = 'RESERVED' AND expires_at < $now ORDER BY expires_at LIMIT $batch;""");

    /** Its rows: {@link ReservationRow}. */
    public static final SurrealQl GET = of("SELECT * FROM ONLY type::record('reservation', $key);");

    /** The newest reservations; rows: {@link ReservationRow}. */
    public static final SurrealQl NEWEST = of("SELECT * FROM reservation ORDER BY created_at DESC LIMIT $limit;");

    /** The newest reservations of {@code $status}; rows: {@link ReservationRow}. */
    public static final SurrealQl NEWEST_OF_STATUS = of(
            "SELECT * FROM reservation WHERE status = $status ORDER BY created_at DESC LIMIT $limit;");

    /** What {@link #READ_STOCK} returns: whether the event was applied before, and the stock it would change. */
    public record StockRead(boolean processed, StockState state) {
    }

    /** The order's reservation status (NONE without one) and the state of each line's product. */
    public record StockState(String reservation, List<LineState> lines) {
    }

    /** @param available the units available, -1 for a product without stock row */
    public record LineState(String productId, boolean exists, boolean active, long available) {
    }

    /** What {@link #READ_RESERVATION} returns: whether the event was applied before, and the reservation's status. */
    public record ReservationRead(boolean processed, String status) {
    }

    public record ExpiredRow(String orderId, Instant expiresAt) {
    }

    /** A row of {@code reservation}, as the store returns it. */
    public record ReservationRow(RecordId id, String status, List<OrderLine> lines,
                                 List<StockRejected.Rejection> rejections, Instant expiresAt, String releaseReason,
                                 Instant createdAt, Instant updatedAt) {
    }

    private ReservationStatements() {
    }

    public static SurrealQl reserve(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, STOCK_STATE_UNCHANGED, HOLD_STOCK, outbox);
    }

    /**
     * Reserves in one round trip, deciding inside the transaction: throws {@link #UNDECIDED} where {@link #reserve}
     * or {@link #reject} after a read must decide instead.
     */
    public static SurrealQl reserveIfAvailable(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, RESERVABLE, HOLD_STOCK, outbox);
    }

    public static SurrealQl reject(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, STOCK_STATE_UNCHANGED, RECORD_REJECTION, outbox);
    }

    /** Gives RESERVED units back. */
    public static SurrealQl releaseReserved(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, LET_UNCHANGED_RESERVATION, RETURN_RESERVED_UNITS, outbox);
    }

    /** Gives the units of a CONFIRMED order back: they were sold. */
    public static SurrealQl releaseConfirmed(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, LET_UNCHANGED_RESERVATION, RETURN_SOLD_UNITS, outbox);
    }

    public static SurrealQl releaseNothing(SurrealQl outbox) {
        return transaction(RECORD_IN_INBOX, LET_UNCHANGED_RESERVATION, RECORD_RELEASE, outbox);
    }

    /** The sweep's release of an expired reservation, without inbox. */
    public static SurrealQl expire(SurrealQl outbox) {
        return transaction(LET_UNCHANGED_RESERVATION, RETURN_RESERVED_UNITS, outbox);
    }

    /** Gives the units the order holds back to the available stock, taking them from {@code field}. */
    private static SurrealQl returnUnitsFrom(String field) {
        return of("""
                FOR $line IN $held {
                    UPDATE type::record('inventory', $line.product_id)
                        SET available += $line.quantity, %s -= $line.quantity, updated_at = $now;
                };
                UPDATE $reservation SET status = $new_status, release_reason = $reason, updated_at = $now;"""
                .formatted(field));
    }
}
