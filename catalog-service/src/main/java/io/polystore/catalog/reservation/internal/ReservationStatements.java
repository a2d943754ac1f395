package io.polystore.catalog.reservation.internal;

import io.polystore.catalog.internal.ThrownCode;

/**
 * The SurrealQL of the saga participant. Fields of records are read with {@code LET} before any {@code IF}: SurrealDB
 * 3.0.2 fails a field lookup through a record id inside an {@code IF} statement ("Specify a database to use").
 * Each command is decided on a read of the state it depends on, then
 * applied in one transaction that records the event in the inbox, re-reads that state and throws {@code stale}
 * if it changed, changes stock and reservation, and writes the reply to the outbox (appended by the caller).
 */
public final class ReservationStatements {

    /** Per line: whether the product exists and is active, and the units available; -1 for no stock row. */
    private static final String STOCK_STATE = """
            LET $state = {
                reservation: type::record('reservation', $order_id).status ?? 'NONE',
                lines: array::map($lines, |$line| {
                    product_id: $line.product_id,
                    exists: record::exists(type::record('product', $line.product_id)),
                    active: type::record('product', $line.product_id).active ?? false,
                    available: type::record('inventory', $line.product_id).available ?? -1
                })
            };
            """;

    public static final String READ_STOCK = STOCK_STATE + """
            RETURN {
                processed: record::exists(type::record('inbox', $event_id)),
                state: $state
            };
            """;

    private static final String BEGIN = """
            BEGIN TRANSACTION;
            CREATE type::record('inbox', $event_id) SET type = $event_type, processed_at = $now;
            """;

    private static final String CHECK_STOCK_STATE = STOCK_STATE + """
            IF $state != $observed { %s };
            """.formatted(ThrownCode.throwing(ThrownCode.STALE));

    public static final String RESERVE = BEGIN + CHECK_STOCK_STATE + """
            FOR $line IN $lines {
                UPDATE type::record('inventory', $line.product_id)
                    SET available -= $line.quantity, reserved += $line.quantity, updated_at = $now;
            };
            CREATE type::record('reservation', $order_id) CONTENT {
                order_id: $order_id, status: 'RESERVED', lines: $lines, expires_at: $expires_at,
                created_at: $now, updated_at: $now
            };
            %s
            COMMIT TRANSACTION;
            """;

    public static final String REJECT = BEGIN + CHECK_STOCK_STATE + """
            CREATE type::record('reservation', $order_id) CONTENT {
                order_id: $order_id, status: 'REJECTED', lines: $lines, rejections: $rejections,
                created_at: $now, updated_at: $now
            };
            %s
            COMMIT TRANSACTION;
            """;

    /** The reservation's status and lines, or status NONE. */
    public static final String READ_RESERVATION = """
            LET $reservation = type::record('reservation', $order_id);
            RETURN {
                processed: record::exists(type::record('inbox', $event_id)),
                status: $reservation.status ?? 'NONE',
                lines: $reservation.lines ?? []
            };
            """;

    private static final String CHECK_STATUS = """
            LET $reservation = type::record('reservation', $order_id);
            LET $current_status = $reservation.status ?? 'NONE';
            LET $held = $reservation.lines ?? [];
            IF $current_status != $observed_status { %s };
            """.formatted(ThrownCode.throwing(ThrownCode.STALE));

    /** Gives the reserved units back; {@code %s}: the field the units come from, then the outbox. */
    private static final String RETURN_UNITS = """
            FOR $line IN $held {
                UPDATE type::record('inventory', $line.product_id)
                    SET available += $line.quantity, %s -= $line.quantity, updated_at = $now;
            };
            UPDATE $reservation SET status = $new_status, release_reason = $reason, updated_at = $now;
            """;

    public static final String RELEASE_RESERVED = BEGIN + CHECK_STATUS + RETURN_UNITS.formatted("reserved") + """
            %s
            COMMIT TRANSACTION;
            """;

    public static final String RELEASE_CONFIRMED = BEGIN + CHECK_STATUS + RETURN_UNITS.formatted("sold") + """
            %s
            COMMIT TRANSACTION;
            """;

    /** A release before any reservation: remembered, so that a late ReserveStock reserves nothing. */
    public static final String RELEASE_NOTHING = BEGIN + CHECK_STATUS + """
            CREATE $reservation CONTENT {
                order_id: $order_id, status: 'RELEASED', lines: [], release_reason: $reason,
                created_at: $now, updated_at: $now
            };
            %s
            COMMIT TRANSACTION;
            """;

    /** Records the event only: nothing to change. */
    public static final String ACKNOWLEDGE = BEGIN + CHECK_STATUS + """
            COMMIT TRANSACTION;
            """;

    /** The sweep's release of an expired reservation, without inbox. */
    public static final String EXPIRE = """
            BEGIN TRANSACTION;
            """ + CHECK_STATUS + RETURN_UNITS.formatted("reserved") + """
            %s
            COMMIT TRANSACTION;
            """;

    public static final String EXPIRED = """
            SELECT order_id, expires_at FROM reservation
            WHERE status = 'RESERVED' AND expires_at < $now ORDER BY expires_at LIMIT $batch;
            """;

    /** An order is final: its reserved units become sold (if it still held them) and its lines feed the graph. */
    public static final String CONFIRM = BEGIN + CHECK_STATUS + """
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
            };
            COMMIT TRANSACTION;
            """;

    private ReservationStatements() {
    }
}
