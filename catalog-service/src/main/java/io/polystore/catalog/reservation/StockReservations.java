package io.polystore.catalog.reservation;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.Rows;
import io.polystore.catalog.internal.StaleReadException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.internal.ThrownCode;
import io.polystore.catalog.reservation.internal.ReservationStatements;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderLine;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockRejected;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The catalog's part of the order saga. {@link ReserveStock} reserves every line or none and answers
 * {@link StockReserved} or {@link StockRejected}; {@link ReleaseStock} gives the units back and answers
 * {@link StockReleased}; {@link OrderConfirmed} turns reserved units into sold ones and feeds the product graph;
 * reservations that outlive their expiry are released by {@link #releaseExpired()}.
 * <p>
 * Each event is applied once: its id goes into the inbox in the transaction that applies it, together with the
 * changes and the reply in the outbox, so a redelivered event changes nothing. One reservation per order (keyed by
 * the order id), so a second ReserveStock for an order, or one that arrives after its ReleaseStock, reserves nothing.
 */
@Service
public class StockReservations {

    private static final Logger log = LoggerFactory.getLogger(StockReservations.class);

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogTransactions transactions;
    private final CatalogProperties properties;
    private final Clock clock;

    StockReservations(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogTransactions transactions,
                      CatalogProperties properties, Clock clock) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    /** What applying an event did. */
    public enum Outcome {
        RESERVED, REJECTED, RELEASED, CONFIRMED, ACKNOWLEDGED, DUPLICATE
    }

    public Outcome reserve(EventEnvelope envelope, ReserveStock command) {
        String orderId = command.orderId().toString();
        List<Map<String, Object>> lines = command.lines().stream()
                .map(line -> Map.<String, Object>of("product_id", line.productId(), "quantity", line.quantity()))
                .toList();
        return applyOnce(envelope, () -> {
            Map<String, Object> vars = eventVars(envelope, orderId);
            vars.put("lines", lines);
            Map<String, Object> read = asMap(surreal.query(ReservationStatements.READ_STOCK, vars).lastResult());
            if (Rows.bool(read, "processed")) {
                return Outcome.DUPLICATE;
            }
            Map<String, Object> state = Rows.object(read, "state");
            vars.put("observed", state);
            if (!"NONE".equals(state.get("reservation"))) {
                log.info("Order {} already has a reservation ({}); ReserveStock {} changes nothing", orderId,
                        state.get("reservation"), envelope.id());
                vars.put("observed_status", state.get("reservation"));
                run(ReservationStatements.ACKNOWLEDGE, vars);
                return Outcome.ACKNOWLEDGED;
            }
            List<StockRejected.Rejection> rejections = rejections(command, Rows.objects(state, "lines"));
            if (rejections.isEmpty()) {
                Instant expiresAt = clock.instant().plus(properties.reservations().ttl());
                vars.put("expires_at", expiresAt);
                StockReserved reserved = new StockReserved(command.orderId(), orderId, command.lines(), expiresAt);
                run(ReservationStatements.RESERVE.formatted(outbox.statements(List.of(reserved), vars)), vars);
                return Outcome.RESERVED;
            }
            vars.put("rejections", rejections.stream().map(r -> Map.<String, Object>of("product_id", r.productId(),
                    "requested", r.requested(), "available", r.available(), "reason", r.reason().name())).toList());
            StockRejected rejected = new StockRejected(command.orderId(), rejections);
            run(ReservationStatements.REJECT.formatted(outbox.statements(List.of(rejected), vars)), vars);
            return Outcome.REJECTED;
        });
    }

    public Outcome release(EventEnvelope envelope, ReleaseStock command) {
        String orderId = command.orderId().toString();
        return applyOnce(envelope, () -> {
            Map<String, Object> vars = eventVars(envelope, orderId);
            Map<String, Object> read = asMap(surreal.query(ReservationStatements.READ_RESERVATION, vars).lastResult());
            if (Rows.bool(read, "processed")) {
                return Outcome.DUPLICATE;
            }
            String status = Rows.string(read, "status");
            vars.put("observed_status", status);
            vars.put("reason", command.reason());
            vars.put("new_status", "RELEASED");
            List<PolystoreEvent> released = List.of(new StockReleased(command.orderId(), orderId));
            String sql = switch (status) {
                case "RESERVED" -> ReservationStatements.RELEASE_RESERVED.formatted(outbox.statements(released, vars));
                case "CONFIRMED" -> ReservationStatements.RELEASE_CONFIRMED.formatted(outbox.statements(released, vars));
                case "NONE" -> ReservationStatements.RELEASE_NOTHING.formatted(outbox.statements(released, vars));
                default -> null;
            };
            if (sql == null) {
                run(ReservationStatements.ACKNOWLEDGE, vars);
                return Outcome.ACKNOWLEDGED;
            }
            run(sql, vars);
            log.info("Released the stock of order {} ({}, was {})", orderId, command.reason(), status);
            return Outcome.RELEASED;
        });
    }

    public Outcome confirm(EventEnvelope envelope, OrderConfirmed event) {
        String orderId = event.orderId().toString();
        return applyOnce(envelope, () -> {
            Map<String, Object> vars = eventVars(envelope, orderId);
            Map<String, Object> read = asMap(surreal.query(ReservationStatements.READ_RESERVATION, vars).lastResult());
            if (Rows.bool(read, "processed")) {
                return Outcome.DUPLICATE;
            }
            String status = Rows.string(read, "status");
            if (!"RESERVED".equals(status)) {
                log.warn("Order {} was confirmed while its reservation is {}; only the product graph is updated", orderId, status);
            }
            vars.put("observed_status", status);
            vars.put("customer_id", event.customerId());
            vars.put("product_ids", event.lines().stream().map(OrderLine::productId).toList());
            run(ReservationStatements.CONFIRM, vars);
            return Outcome.CONFIRMED;
        });
    }

    /** Releases reservations past their expiry, one transaction each; returns how many it released. */
    public int releaseExpired() {
        Instant now = clock.instant();
        List<Map<String, Object>> expired = surreal.query(ReservationStatements.EXPIRED,
                Map.of("now", now, "batch", properties.reservations().sweepBatch())).rows(0);
        int released = 0;
        for (Map<String, Object> reservation : expired) {
            String orderId = Rows.string(reservation, "order_id");
            Map<String, Object> vars = new HashMap<>();
            vars.put("order_id", orderId);
            vars.put("observed_status", "RESERVED");
            vars.put("new_status", "EXPIRED");
            vars.put("reason", "expired at " + Rows.instant(reservation, "expires_at"));
            vars.put("now", now);
            StockReleased event = new StockReleased(UUID.fromString(orderId), orderId);
            try {
                surreal.query(ReservationStatements.EXPIRE.formatted(outbox.statements(List.of(event), vars)), vars)
                        .requireSuccess();
                released++;
            } catch (SurrealStatementException e) {
                // Confirmed or released meanwhile: nothing to expire any more.
                if (ThrownCode.of(e).filter(ThrownCode.STALE::equals).isEmpty() && !e.isRetryable()) {
                    throw e;
                }
            }
        }
        if (released > 0) {
            log.info("Released {} expired reservations", released);
        }
        return released;
    }

    public ReservationView get(String orderId) {
        return surreal.query("SELECT * FROM ONLY type::record('reservation', $key)", Map.of("key", orderId))
                .firstRow(0).map(StockReservations::view)
                .orElseThrow(() -> new NotFoundException("reservation for order", orderId));
    }

    /** The newest reservations, optionally of one status. */
    public List<ReservationView> list(String status, int limit) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("limit", limit);
        String where = "";
        if (status != null) {
            vars.put("status", status);
            where = " WHERE status = $status";
        }
        return surreal.query("SELECT * FROM reservation" + where + " ORDER BY created_at DESC LIMIT $limit", vars)
                .rows(0).stream().map(StockReservations::view).toList();
    }

    private Outcome applyOnce(EventEnvelope envelope, Supplier<Outcome> attempt) {
        try {
            return transactions.run(envelope.type() + " " + envelope.id(), attempt);
        } catch (SurrealStatementException e) {
            // Applied by a concurrent delivery between our read and our commit: the inbox row exists.
            if ("AlreadyExists".equals(e.kind()) && e.statement() != null && e.statement().contains("'inbox'")) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }

    private void run(String sql, Map<String, Object> vars) {
        surreal.query(sql, vars).requireSuccess();
    }

    private Map<String, Object> eventVars(EventEnvelope envelope, String orderId) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("event_id", envelope.id());
        vars.put("event_type", envelope.type());
        vars.put("order_id", orderId);
        vars.put("now", clock.instant());
        return vars;
    }

    /** The lines that cannot be reserved, from the state read: unknown, inactive, or not enough available. */
    static List<StockRejected.Rejection> rejections(ReserveStock command, List<Map<String, Object>> state) {
        Map<String, Map<String, Object>> byProduct = new LinkedHashMap<>();
        state.forEach(line -> byProduct.put(Rows.string(line, "product_id"), line));
        List<StockRejected.Rejection> rejections = new ArrayList<>();
        for (OrderLine line : command.lines()) {
            Map<String, Object> observed = byProduct.getOrDefault(line.productId(), Map.of());
            long available = Math.max(Rows.number(observed, "available"), 0);
            StockRejected.Reason reason = !Rows.bool(observed, "exists") ? StockRejected.Reason.UNKNOWN_PRODUCT
                    : !Rows.bool(observed, "active") ? StockRejected.Reason.INACTIVE_PRODUCT
                    : available < line.quantity() ? StockRejected.Reason.INSUFFICIENT_STOCK
                    : null;
            if (reason != null) {
                int shown = reason == StockRejected.Reason.UNKNOWN_PRODUCT ? 0 : (int) Math.min(available, Integer.MAX_VALUE);
                rejections.add(new StockRejected.Rejection(line.productId(), line.quantity(), shown, reason));
            }
        }
        return rejections;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        if (value instanceof Map<?, ?> map) {
            return (Map<String, Object>) map;
        }
        throw new StaleReadException("unexpected answer " + value);
    }

    static ReservationView view(Map<String, Object> row) {
        List<OrderLine> lines = Rows.objects(row, "lines").stream()
                .map(line -> new OrderLine(Rows.string(line, "product_id"), (int) Rows.number(line, "quantity")))
                .toList();
        List<StockRejected.Rejection> rejections = Rows.objects(row, "rejections").stream()
                .map(r -> new StockRejected.Rejection(Rows.string(r, "product_id"), (int) Rows.number(r, "requested"),
                        (int) Rows.number(r, "available"), StockRejected.Reason.valueOf(Rows.string(r, "reason"))))
                .toList();
        return new ReservationView(Rows.key(row, "id"), Rows.string(row, "status"), lines, rejections,
                Rows.instant(row, "expires_at"), Rows.string(row, "release_reason"), Rows.instant(row, "created_at"),
                Rows.instant(row, "updated_at"));
    }
}
