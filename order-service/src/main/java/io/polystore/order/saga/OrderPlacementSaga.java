package io.polystore.order.saga;

import io.polystore.events.CustomerDigest;
import io.polystore.events.OrderCancelled;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderRejected;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.SagaTransitioned;
import io.polystore.events.StockRejected;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.order.observability.OrderMetrics;
import io.polystore.order.observability.OrderMetrics.Compensation;
import io.polystore.order.observability.OrderMetrics.Outcome;
import io.polystore.order.observability.OrderMetrics.Step;
import io.polystore.order.orders.Order;
import io.polystore.order.orders.OrderRepository;
import io.polystore.order.orders.OrderStateConflictException;
import io.polystore.order.orders.OrderStatus;
import io.polystore.order.saga.internal.OrderSaga;
import io.polystore.order.saga.internal.OrderSagaRepository;
import io.polystore.order.saga.internal.SagaJournal;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.servicedefaults.region.RegionProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Orchestrates placing an order: PENDING → AWAITING_STOCK (ReserveStock sent) → CONFIRMED on StockReserved or
 * REJECTED on StockRejected; a cancellation while stock may be reserved → RELEASING (ReleaseStock sent) →
 * CANCELLED on StockReleased. Each waiting step has a deadline; a step that times out compensates. The wait for the
 * stock has the business's deadline ({@code stock-reservation-timeout}, minutes): an outage of the platform delays
 * the answer, and the order stays PENDING, saying after {@code stock-wait-notice} what it waits for, until the answer
 * comes or that deadline passes.
 *
 * <p>Every change happens in one transaction with the saga row locked, together with the order's change, the
 * history entry and the outbox rows for the commands and events it causes. Replies are applied at most once (an
 * inbox of event ids) and judged against the current state, so duplicates and replies in any order leave the saga
 * where it should be: a reservation that arrives for an order that no longer wants it is released.
 */
@Service
public class OrderPlacementSaga {

    /** Far longer than a commit takes to become visible, far shorter than the platform's retries of a record. */
    private static final Duration SAGA_VISIBILITY_WAIT = Duration.ofSeconds(2);
    private static final Duration SAGA_VISIBILITY_POLL = Duration.ofMillis(20);

    private static final Logger log = LoggerFactory.getLogger(OrderPlacementSaga.class);

    private final OrderSagaRepository sagas;
    private final OrderRepository orders;
    private final SagaJournal journal;
    private final OutboxWriter outbox;
    private final OrderMetrics metrics;
    private final SagaProperties properties;
    private final RegionProperties region;
    private final CustomerDigest customerDigest;
    private final Clock clock;

    OrderPlacementSaga(OrderSagaRepository sagas, OrderRepository orders, SagaJournal journal, OutboxWriter outbox,
                       OrderMetrics metrics, SagaProperties properties, RegionProperties region,
                       CustomerDigest customerDigest, Clock clock) {
        this.sagas = sagas;
        this.orders = orders;
        this.journal = journal;
        this.outbox = outbox;
        this.metrics = metrics;
        this.properties = properties;
        this.region = region;
        this.customerDigest = customerDigest;
        this.clock = clock;
    }

    /** Starts the saga of a just placed order, in the transaction that placed it: asks the catalog for the stock. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void start(Order order) {
        Instant now = clock.instant();
        record(order.id(), null, SagaState.PENDING, "order placed", now);
        Instant deadline = now.plus(properties.stockReservationTimeout());
        outbox.write(new ReserveStock(order.id(), order.eventLines(), deadline));
        // Both steps happen in this transaction, so the row is written once, already waiting for the stock.
        Instant notice = now.plus(properties.stockWaitNotice());
        sagas.insert(OrderSaga.start(order.id(), now).moveTo(SagaState.AWAITING_STOCK,
                notice.isBefore(deadline) ? notice : deadline, 1, now));
        record(order.id(), SagaState.PENDING, SagaState.AWAITING_STOCK, "ReserveStock sent", now);
    }

    /**
     * Cancels the order; stock that is or may be reserved is released. Cancelling a cancelled order changes nothing.
     *
     * @throws OrderStateConflictException when the order was rejected
     */
    @Transactional
    public Order cancel(UUID orderId, String reason) {
        OrderSaga saga = sagas.lock(orderId).orElseThrow(() -> new IllegalStateException("No saga for order " + orderId));
        Order order = orders.findById(orderId).orElseThrow();
        if (order.status() == OrderStatus.CANCELLED) {
            return order;
        }
        Instant now = clock.instant();
        Order cancelled = orders.saveStatus(order.cancel(reason, now));
        changed(cancelled, new OrderCancelled(orderId, now), new ReleaseStock(orderId, "order cancelled: " + reason));
        metrics.compensation(Compensation.CANCELLED);
        transition(saga, SagaState.RELEASING, now.plus(properties.releaseTimeout()), 1,
                "order cancelled (" + reason + "); ReleaseStock sent", now);
        return cancelled;
    }

    @Transactional
    public void onStockReserved(String eventId, StockReserved reserved) {
        if (!journal.firstDelivery(eventId, "StockReserved", clock.instant())) {
            return;
        }
        withRepliedSaga(reserved.orderId(), eventId, saga -> {
            Instant now = clock.instant();
            switch (saga.state()) {
                case AWAITING_STOCK -> {
                    Order order = orders.findById(saga.orderId()).orElseThrow();
                    changed(orders.saveStatus(order.confirm(now)),
                            new OrderConfirmed(order.id(), order.customerId(), order.eventLines(), now));
                    OrderSaga confirmed = transition(saga.withReservation(reserved.reservationId(), now),
                            SagaState.CONFIRMED, null, 0, "StockReserved " + reserved.reservationId(), now);
                    finished(confirmed, Outcome.CONFIRMED, now);
                }
                // The release already asked for follows this reservation in the catalog's order of commands.
                case RELEASING -> sagas.update(saga.withReservation(reserved.reservationId(), now));
                case REJECTED, CANCELLED -> {
                    if (saga.stockReleased() && reserved.reservationId().equals(saga.reservationId())) {
                        return;
                    }
                    // Stock reserved for an order that no longer wants it (a late or reordered reply): give it back.
                    sagas.update(saga.withReservation(reserved.reservationId(), now));
                    outbox.write(new ReleaseStock(saga.orderId(), "reservation arrived for a " + saga.state() + " order"));
                    metrics.compensation(Compensation.LATE_RESERVATION);
                    log.info("Releasing reservation {} that arrived for {} order {}", reserved.reservationId(),
                            saga.state(), saga.orderId());
                }
                case CONFIRMED, PENDING -> ignored(saga, "StockReserved");
            }
        });
    }

    @Transactional
    public void onStockRejected(String eventId, StockRejected rejected) {
        if (!journal.firstDelivery(eventId, "StockRejected", clock.instant())) {
            return;
        }
        withRepliedSaga(rejected.orderId(), eventId, saga -> {
            Instant now = clock.instant();
            switch (saga.state()) {
                case AWAITING_STOCK -> {
                    String reason = "stock rejected: " + rejected.rejections().stream()
                            .map(rejection -> rejection.productId() + " " + rejection.reason()
                                    + " (requested " + rejection.requested() + ", available " + rejection.available() + ")")
                            .collect(Collectors.joining(", "));
                    Order order = orders.findById(saga.orderId()).orElseThrow();
                    changed(orders.saveStatus(order.reject(reason, now)), new OrderRejected(order.id(), reason, now));
                    finished(transition(saga, SagaState.REJECTED, null, 0, reason, now), Outcome.REJECTED, now);
                }
                // Cancelled before the catalog answered, and it reserved nothing: nothing to wait for.
                case RELEASING -> {
                    if (saga.reservationId() == null) {
                        finished(transition(saga, SagaState.CANCELLED, null, 0,
                                "StockRejected: nothing was reserved", now), Outcome.CANCELLED, now);
                    } else {
                        ignored(saga, "StockRejected");
                    }
                }
                case PENDING, CONFIRMED, REJECTED, CANCELLED -> ignored(saga, "StockRejected");
            }
        });
    }

    @Transactional
    public void onStockReleased(String eventId, StockReleased released) {
        if (!journal.firstDelivery(eventId, "StockReleased", clock.instant())) {
            return;
        }
        withSaga(released.orderId(), eventId, saga -> {
            Instant now = clock.instant();
            switch (saga.state()) {
                case RELEASING -> finished(transition(saga.released(released.reservationId(), now), SagaState.CANCELLED,
                        null, 0, "StockReleased " + released.reservationId(), now), Outcome.CANCELLED, now);
                // Remembered, so that the reservation's own reply, should it come later, is not released again.
                case REJECTED, CANCELLED -> sagas.update(saga.released(released.reservationId(), now));
                case PENDING, AWAITING_STOCK, CONFIRMED -> ignored(saga, "StockReleased");
            }
        });
    }

    /**
     * Handles one saga past its deadline, if there is one no other replica is handling; returns whether it did.
     * Several replicas may call this at once: each locks a different saga ({@code FOR UPDATE SKIP LOCKED}).
     */
    @Transactional
    public boolean handleNextDeadline() {
        Instant now = clock.instant();
        return journal.lockNextDue(now).map(orderId -> {
            OrderSaga saga = sagas.findById(orderId).orElseThrow();
            switch (saga.state()) {
                case AWAITING_STOCK -> {
                    Instant businessDeadline = saga.startedAt().plus(properties.stockReservationTimeout());
                    if (now.isBefore(businessDeadline)) {
                        stillWaiting(saga, businessDeadline, now);
                        return true;
                    }
                    metrics.deadlineExpired(Step.AWAITING_STOCK);
                    String reason = "stock not reserved within " + properties.stockReservationTimeout()
                            + " of placing the order";
                    Order order = orders.findById(orderId).orElseThrow();
                    // Compensation: the catalog may have reserved without its answer arriving in time.
                    changed(orders.saveStatus(order.reject(reason, now)), new OrderRejected(orderId, reason, now),
                            new ReleaseStock(orderId, reason));
                    metrics.compensation(Compensation.RESERVATION_TIMEOUT);
                    finished(transition(saga, SagaState.REJECTED, null, 0, reason + "; ReleaseStock sent", now),
                            Outcome.REJECTED, now);
                }
                case RELEASING -> {
                    metrics.deadlineExpired(Step.RELEASING);
                    if (saga.attempts() < properties.releaseAttempts()) {
                        outbox.write(new ReleaseStock(orderId, "release not confirmed, attempt " + (saga.attempts() + 1)));
                        metrics.compensation(Compensation.RELEASE_RETRY);
                        transition(saga, SagaState.RELEASING, now.plus(properties.releaseTimeout()), saga.attempts() + 1,
                                "StockReleased not received in time; ReleaseStock sent again", now);
                    } else {
                        finished(transition(saga, SagaState.CANCELLED, null, 0, "StockReleased not received after "
                                + saga.attempts() + " ReleaseStock commands; the reservation ends when it expires", now),
                                Outcome.CANCELLED, now);
                    }
                }
                // No other state waits for anything: clear a deadline that should not be there.
                default -> sagas.update(saga.moveTo(saga.state(), null, saga.attempts(), now));
            }
            return true;
        }).orElse(false);
    }

    /**
     * The catalog has not answered within the notice: the command may not have been delivered yet (a broker, the
     * relay or the catalog being down) or not answered. The order stays PENDING and says so; the saga waits on.
     */
    private void stillWaiting(OrderSaga saga, Instant businessDeadline, Instant now) {
        Order order = orders.findById(saga.orderId()).orElseThrow();
        changed(orders.saveStatus(order.waiting("Waiting for the catalog to reserve the stock: no answer since "
                + saga.startedAt() + " (the platform may be recovering from an outage). The order is confirmed or"
                + " rejected as soon as the catalog answers, and rejected if it has not by " + businessDeadline + ".",
                now)));
        transition(saga, SagaState.AWAITING_STOCK, businessDeadline, saga.attempts(),
                "no answer to ReserveStock yet; waiting until " + businessDeadline, now);
    }

    public List<SagaTransition> history(UUID orderId) {
        return journal.history(orderId);
    }

    public Map<SagaState, Long> countByState() {
        return journal.countByState();
    }

    /** Sagas past their deadline that no replica has handled yet, and since when the oldest of them waits. */
    public OverdueSagas overdue() {
        return journal.overdue(clock.instant());
    }

    private void withSaga(UUID orderId, String eventId, Consumer<OrderSaga> action) {
        sagas.lock(orderId).ifPresentOrElse(action,
                () -> log.warn("Event {} is about order {}, which has no saga here; ignored", eventId, orderId));
    }

    /**
     * For the replies to ReserveStock, which this service sent only after committing the saga: a missing saga is
     * mostly one not visible yet. PostgreSQL hands a commit to logical decoding (and so to the relay) as soon as it is
     * in the WAL, a moment before other transactions see it, so the reply waits up to {@link #SAGA_VISIBILITY_WAIT}
     * for it (each read in this READ COMMITTED transaction sees what has committed since). A saga still missing then
     * is one this database does not have (an order a restore lost): the reply is ignored, and the reservation is
     * released by reconciliation or its expiry. Handing it to the platform's retries instead blocked its partition,
     * and every later reply on it, for a minute per lost order after a restore.
     */
    private void withRepliedSaga(UUID orderId, String eventId, Consumer<OrderSaga> action) {
        long giveUpAt = System.nanoTime() + SAGA_VISIBILITY_WAIT.toNanos();
        Optional<OrderSaga> saga = sagas.lock(orderId);
        while (saga.isEmpty() && System.nanoTime() < giveUpAt) {
            LockSupport.parkNanos(SAGA_VISIBILITY_POLL.toNanos());
            saga = sagas.lock(orderId);
        }
        saga.ifPresentOrElse(action, () -> log.warn("Event {} is about order {}, which has no saga here after {}; "
                + "ignored (its reservation ends by reconciliation or expiry)", eventId, orderId, SAGA_VISIBILITY_WAIT));
    }

    private OrderSaga transition(OrderSaga saga, SagaState to, Instant deadline, int attempts, String reason, Instant now) {
        OrderSaga next = sagas.update(saga.moveTo(to, deadline, attempts, now));
        record(saga.orderId(), saga.state(), to, reason, now);
        return next;
    }

    private void record(UUID orderId, SagaState from, SagaState to, String reason, Instant now) {
        journal.append(orderId, new SagaTransition(from, to, reason, now));
        outbox.write(new SagaTransitioned(orderId, from == null ? null : from.name(), to.name(), reason, now));
    }

    /**
     * Writes the events a change of the order causes and its masked history record (other regions' replica of it),
     * in one statement.
     */
    private void changed(Order order, PolystoreEvent... events) {
        List<PolystoreEvent> rows = new ArrayList<>(List.of(events));
        rows.add(order.historyRecord(region.name(), customerDigest));
        outbox.writeAll(rows);
    }

    private void finished(OrderSaga saga, Outcome outcome, Instant now) {
        metrics.finished(outcome, Duration.between(saga.startedAt(), now));
    }

    private static void ignored(OrderSaga saga, String event) {
        log.info("{} for order {} ignored in state {}", event, saga.orderId(), saga.state());
    }
}
