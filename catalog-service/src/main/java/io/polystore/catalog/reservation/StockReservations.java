package io.polystore.catalog.reservation;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.reservation.internal.ReservationStatements;
import io.polystore.catalog.reservation.internal.ReservationStatements.ExpiredRow;
import io.polystore.catalog.reservation.internal.ReservationStatements.LineState;
import io.polystore.catalog.reservation.internal.ReservationStatements.ReservationRead;
import io.polystore.catalog.reservation.internal.ReservationStatements.ReservationRow;
import io.polystore.catalog.reservation.internal.ReservationStatements.StockRead;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderLine;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockRejected;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;

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
        return applyOnce(envelope, command.orderId().toString(), attempt -> {
            Instant expiresAt = attempt.now().plus(properties.reservations().ttl());
            StockReserved reserved = new StockReserved(command.orderId(), attempt.orderId(), command.lines(), expiresAt);
            if (reservedAtOnce(attempt, command, reserved)) {
                return Outcome.RESERVED;
            }
            StockRead read = surreal.query(attempt.bind(ReservationStatements.READ_STOCK).with("lines", command.lines()))
                    .result(1, StockRead.class);
            if (read.processed()) {
                return Outcome.DUPLICATE;
            }
            String reservation = read.state().reservation();
            if (!"NONE".equals(reservation)) {
                log.info("Order {} already has a reservation ({}); ReserveStock {} changes nothing", attempt.orderId(),
                        reservation, envelope.id());
                run(attempt.bind(ReservationStatements.ACKNOWLEDGE).with("observed_status", reservation));
                return Outcome.ACKNOWLEDGED;
            }
            List<StockRejected.Rejection> rejections = rejections(command, read.state().lines());
            if (rejections.isEmpty()) {
                run(attempt.bind(ReservationStatements.reserve(outbox.statements(List.of(reserved))))
                        .with("lines", command.lines()).with("observed", read.state()).with("expires_at", expiresAt));
                return Outcome.RESERVED;
            }
            StockRejected rejected = new StockRejected(command.orderId(), rejections);
            run(attempt.bind(ReservationStatements.reject(outbox.statements(List.of(rejected))))
                    .with("lines", command.lines()).with("observed", read.state()).with("rejections", rejections));
            return Outcome.REJECTED;
        });
    }

    /**
     * The common case in one round trip instead of two (read, then write): a transaction that reserves if it may and
     * throws {@link ReservationStatements#UNDECIDED} otherwise; then nothing happened and the caller reads and decides.
     */
    private boolean reservedAtOnce(Attempt attempt, ReserveStock command, StockReserved reserved) {
        try {
            run(attempt.bind(ReservationStatements.reserveIfAvailable(outbox.statements(List.of(reserved))))
                    .with("lines", command.lines()).with("expires_at", reserved.expiresAt()));
            return true;
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(ReservationStatements.UNDECIDED::equals).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    public Outcome release(EventEnvelope envelope, ReleaseStock command) {
        return applyToReservation(envelope, command.orderId().toString(), (attempt, status) -> {
            SurrealQl outboxRelease = outbox.statements(List.of(new StockReleased(command.orderId(), attempt.orderId())));
            SurrealQl release = switch (status) {
                case "RESERVED" -> ReservationStatements.releaseReserved(outboxRelease);
                case "CONFIRMED" -> ReservationStatements.releaseConfirmed(outboxRelease);
                case "NONE" -> ReservationStatements.releaseNothing(outboxRelease);
                default -> null;
            };
            if (release == null) {
                run(attempt.bind(ReservationStatements.ACKNOWLEDGE).with("observed_status", status));
                return Outcome.ACKNOWLEDGED;
            }
            run(attempt.bind(release).with("observed_status", status).with("reason", command.reason())
                    .with("new_status", "RELEASED"));
            log.info("Released the stock of order {} ({}, was {})", attempt.orderId(), command.reason(), status);
            return Outcome.RELEASED;
        });
    }

    public Outcome confirm(EventEnvelope envelope, OrderConfirmed event) {
        List<String> productIds = event.lines().stream().map(OrderLine::productId).toList();
        return applyOnce(envelope, event.orderId().toString(), attempt -> {
            // The common case in one round trip: the reservation is RESERVED, as the transaction checks.
            try {
                run(attempt.bind(ReservationStatements.CONFIRM).with("observed_status", "RESERVED")
                        .with("customer_id", event.customerId()).with("product_ids", productIds));
                return Outcome.CONFIRMED;
            } catch (SurrealStatementException e) {
                if (e.thrownCode().filter(CatalogTransactions.STALE::equals).isEmpty()) {
                    throw e;
                }
            }
            ReservationRead read = surreal.query(attempt.bind(ReservationStatements.READ_RESERVATION))
                    .result(1, ReservationRead.class);
            if (read.processed()) {
                return Outcome.DUPLICATE;
            }
            if ("NONE".equals(read.status())) {
                // Only a replay (a restore rewinds both topics) delivers an OrderConfirmed before its ReserveStock,
                // which comes on another topic: the platform's error handler tries again until the reservation is
                // there, and dead-letters it after polystore.kafka.retry-for, leaving it to reconciliation.
                throw new IllegalStateException("OrderConfirmed " + envelope.id() + " for order " + attempt.orderId()
                        + " came before its ReserveStock; trying again");
            }
            if (!"RESERVED".equals(read.status())) {
                log.warn("Order {} was confirmed while its reservation is {}; only the product graph is updated",
                        attempt.orderId(), read.status());
            }
            run(attempt.bind(ReservationStatements.CONFIRM).with("observed_status", read.status())
                    .with("customer_id", event.customerId()).with("product_ids", productIds));
            return Outcome.CONFIRMED;
        });
    }

    /** Releases reservations past their expiry, one transaction each; returns how many it released. */
    public int releaseExpired() {
        Instant now = clock.instant();
        List<ExpiredRow> expired = surreal.query(ReservationStatements.EXPIRED.with("now", now)
                .with("batch", properties.reservations().sweepBatch())).rows(0, ExpiredRow.class);
        int released = 0;
        for (ExpiredRow reservation : expired) {
            String orderId = reservation.orderId();
            StockReleased event = new StockReleased(UUID.fromString(orderId), orderId);
            SurrealQl expire = ReservationStatements.expire(outbox.statements(List.of(event)))
                    .with("order_id", orderId).with("observed_status", "RESERVED").with("new_status", "EXPIRED")
                    .with("reason", "expired at " + reservation.expiresAt()).with("now", now);
            try {
                surreal.query(expire).requireSuccess();
                released++;
            } catch (SurrealStatementException e) {
                // Confirmed or released meanwhile: nothing to expire any more.
                if (e.thrownCode().filter(CatalogTransactions.STALE::equals).isEmpty() && !e.isRetryable()) {
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
        return surreal.query(ReservationStatements.GET.with("key", orderId)).firstRow(0, ReservationRow.class)
                .map(StockReservations::view)
                .orElseThrow(() -> new NotFoundException("reservation for order", orderId));
    }

    /** The newest reservations, optionally of one status. */
    public List<ReservationView> list(String status, int limit) {
        SurrealQl newest = status == null ? ReservationStatements.NEWEST
                : ReservationStatements.NEWEST_OF_STATUS.with("status", status);
        return surreal.query(newest.with("limit", limit)).rows(0, ReservationRow.class).stream()
                .map(StockReservations::view).toList();
    }

    /** One try at applying an event: the variables every statement of the event binds. */
    private record Attempt(EventEnvelope envelope, String orderId, Instant now) {

        SurrealQl bind(SurrealQl statements) {
            return statements.with("event_id", envelope.id()).with("event_type", envelope.type())
                    .with("order_id", orderId).with("now", now);
        }
    }

    /** Applies an event once, trying again while concurrent changes get in the way (see {@link CatalogTransactions}). */
    private Outcome applyOnce(EventEnvelope envelope, String orderId, Function<Attempt, Outcome> apply) {
        try {
            return transactions.run(envelope.type() + " " + envelope.id(),
                    () -> apply.apply(new Attempt(envelope, orderId, clock.instant())));
        } catch (SurrealStatementException e) {
            // Applied by a concurrent delivery between our read and our commit: the inbox row exists.
            if ("AlreadyExists".equals(e.kind()) && e.statement() != null && e.statement().contains("'inbox'")) {
                return Outcome.DUPLICATE;
            }
            throw e;
        }
    }

    /** As {@link #applyOnce}, deciding on the status of the order's reservation (NONE without one). */
    private Outcome applyToReservation(EventEnvelope envelope, String orderId, BiFunction<Attempt, String, Outcome> apply) {
        return applyOnce(envelope, orderId, attempt -> {
            ReservationRead read = surreal.query(attempt.bind(ReservationStatements.READ_RESERVATION))
                    .result(1, ReservationRead.class);
            return read.processed() ? Outcome.DUPLICATE : apply.apply(attempt, read.status());
        });
    }

    private void run(SurrealQl transaction) {
        surreal.query(transaction).requireSuccess();
    }

    /** The lines that cannot be reserved, from the state read: unknown, inactive, or not enough available. */
    static List<StockRejected.Rejection> rejections(ReserveStock command, List<LineState> state) {
        Map<String, LineState> byProduct = new LinkedHashMap<>();
        state.forEach(line -> byProduct.put(line.productId(), line));
        List<StockRejected.Rejection> rejections = new ArrayList<>();
        for (OrderLine line : command.lines()) {
            LineState observed = byProduct.getOrDefault(line.productId(), new LineState(line.productId(), false, false, 0));
            long available = Math.max(observed.available(), 0);
            StockRejected.Reason reason = !observed.exists() ? StockRejected.Reason.UNKNOWN_PRODUCT
                    : !observed.active() ? StockRejected.Reason.INACTIVE_PRODUCT
                    : available < line.quantity() ? StockRejected.Reason.INSUFFICIENT_STOCK
                    : null;
            if (reason != null) {
                int shown = reason == StockRejected.Reason.UNKNOWN_PRODUCT ? 0 : (int) Math.min(available, Integer.MAX_VALUE);
                rejections.add(new StockRejected.Rejection(line.productId(), line.quantity(), shown, reason));
            }
        }
        return rejections;
    }

    private static ReservationView view(ReservationRow row) {
        return new ReservationView(Keys.of(row.id()), row.status(), row.lines(), row.rejections(), row.expiresAt(),
                row.releaseReason(), row.createdAt(), row.updatedAt());
    }
}
