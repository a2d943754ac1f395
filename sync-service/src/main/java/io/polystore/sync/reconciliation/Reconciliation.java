package io.polystore.sync.reconciliation;

import io.polystore.events.ReleaseStock;
import io.polystore.sync.reconciliation.ReconciliationRun.Compensation;
import io.polystore.sync.reconciliation.ReconciliationRun.Drift;
import io.polystore.sync.reconciliation.ReconciliationRun.Trigger;
import io.polystore.sync.reconciliation.internal.CompensationSender;
import io.polystore.sync.reconciliation.internal.DriftRules;
import io.polystore.sync.reconciliation.internal.OrderReader;
import io.polystore.sync.reconciliation.internal.OrderSnapshot;
import io.polystore.sync.reconciliation.internal.ReservationReader;
import io.polystore.sync.reconciliation.internal.ReservationSnapshot;
import io.polystore.sync.reconciliation.internal.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Compares order-service's orders with catalog-service's reservations, stores the run with the drift it found and,
 * when asked to repair, publishes the compensating commands. Reservations are read before orders: an order is
 * committed before its reservation can exist, so a reservation never looks orphaned because its order was placed
 * between the two reads.
 */
public final class Reconciliation {

    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final ReservationReader reservations;
    private final OrderReader orders;
    private final RunStore runs;
    private final CompensationSender sender;
    private final ReconciliationMetrics metrics;
    private final ReconciliationProperties properties;
    private final TransactionTemplate transaction;
    private final Clock clock;

    public Reconciliation(ReservationReader reservations, OrderReader orders, RunStore runs, CompensationSender sender,
                          ReconciliationMetrics metrics, ReconciliationProperties properties,
                          TransactionTemplate transaction, Clock clock) {
        this.reservations = reservations;
        this.orders = orders;
        this.runs = runs;
        this.sender = sender;
        this.metrics = metrics;
        this.properties = properties;
        this.transaction = transaction;
        this.clock = clock;
    }

    /** Runs now, on request; synchronous. */
    public ReconciliationRun run(boolean repair) {
        ReconciliationRun run = reconcile(Trigger.MANUAL, repair);
        transaction.executeWithoutResult(status -> runs.save(run));
        return run;
    }

    /**
     * The scheduled run, on one replica per interval: the one that gets the lock while no other replica ran within
     * the interval. Holding the lock while running keeps the others out; the check keeps replicas whose schedules
     * are out of step from each running once per interval. Old runs are deleted after it.
     */
    public Optional<ReconciliationRun> runScheduled() {
        return transaction.execute(status -> {
            // A tenth of slack, so that this replica's own next turn is never skipped for being a little early.
            Instant due = clock.instant().minus(properties.interval().multipliedBy(9).dividedBy(10));
            if (!runs.lockScheduledRun() || runs.lastScheduledStart().filter(due::isBefore).isPresent()) {
                return Optional.empty();
            }
            ReconciliationRun run = reconcile(Trigger.SCHEDULED, properties.scheduledRepair());
            runs.save(run);
            runs.deleteStartedBefore(run.startedAt().minus(properties.retention()));
            return Optional.of(run);
        });
    }

    public Optional<ReconciliationRun> find(UUID id) {
        return runs.find(id);
    }

    public List<ReconciliationRun> recent(int limit) {
        return runs.recent(limit);
    }

    private ReconciliationRun reconcile(Trigger trigger, boolean repair) {
        Instant startedAt = now();
        try {
            List<ReservationSnapshot> reservationsRead = new ArrayList<>(reservations.holdingStock());
            Set<UUID> reservedOrders = reservationsRead.stream()
                    .flatMap(reservation -> reservation.orderUuid().stream()).collect(Collectors.toSet());
            List<OrderSnapshot> ordersRead = orders.confirmedAnd(reservedOrders);
            Set<String> unread = ordersRead.stream().filter(OrderSnapshot::confirmed).map(OrderSnapshot::orderId)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
            reservationsRead.forEach(reservation -> unread.remove(reservation.orderId()));
            reservationsRead.addAll(reservations.of(unread));

            List<Drift> drift = DriftRules.compare(ordersRead, reservationsRead, startedAt.minus(properties.gracePeriod()))
                    .stream().map(finding -> new Drift(finding.kind(), finding.orderId(), finding.detail(),
                            finding.release() == null ? null : new Compensation(ReleaseStock.class.getSimpleName(),
                                    repair && sender.send(finding.release()))))
                    .toList();
            ReconciliationRun run = new ReconciliationRun(UUID.randomUUID(), trigger, repair, startedAt, now(),
                    ordersRead.size(), reservationsRead.size(), drift.size(), drift);
            metrics.finished(run);
            if (!drift.isEmpty()) {
                log.warn("Reconciliation {} ({}) found {} drift, see /reconciliation/runs/{}", run.id(),
                        repair ? "repair" : "dry run", drift.size(), run.id());
            }
            return run;
        } catch (RuntimeException e) {
            metrics.failed(trigger, Duration.between(startedAt, now()));
            throw e;
        }
    }

    /** As precise as PostgreSQL stores it, so that a run reads back as it was answered. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
