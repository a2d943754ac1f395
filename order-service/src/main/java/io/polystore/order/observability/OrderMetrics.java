package io.polystore.order.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.time.Duration;
import java.util.Locale;

/**
 * Business metrics of the order service, counted only when the transaction that caused them commits:
 * {@code polystore.orders.placed|confirmed|rejected|cancelled}, {@code polystore.orders.saga.duration}
 * (from placement to the outcome, by {@code outcome}, with histogram buckets for percentiles and the SLO bounds),
 * {@code polystore.orders.saga.deadlines.expired} (by the {@code step} that timed out) and
 * {@code polystore.orders.saga.compensations} ({@code ReleaseStock} commands, by {@code cause}). Every series exists
 * at zero from the start, so that dashboards and alerts tell "none" from "not measured".
 */
@Component
public class OrderMetrics {

    public enum Outcome {
        CONFIRMED, REJECTED, CANCELLED
    }

    /** The saga step whose deadline passed. */
    public enum Step {
        AWAITING_STOCK, RELEASING
    }

    /** Why stock is released. */
    public enum Compensation {
        /** the customer cancelled */
        CANCELLED,
        /** the reservation reply did not come in time */
        RESERVATION_TIMEOUT,
        /** a reservation arrived for an order that no longer wants it */
        LATE_RESERVATION,
        /** the catalog did not confirm an earlier release in time */
        RELEASE_RETRY
    }

    /** Bounds of the time-to-outcome histogram besides its percentile buckets: what "fast enough" means. */
    private static final Duration[] SLO = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5),
            Duration.ofSeconds(30)};

    private final MeterRegistry registry;
    private final Counter placed;

    OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.placed = Counter.builder("polystore.orders.placed").description("Orders placed").register(registry);
        for (Outcome outcome : Outcome.values()) {
            outcomeCounter(outcome);
            sagaDuration(outcome);
        }
        for (Step step : Step.values()) {
            deadlineCounter(step);
        }
        for (Compensation cause : Compensation.values()) {
            compensationCounter(cause);
        }
    }

    public void placed() {
        afterCommit(placed::increment);
    }

    /** An order reached an outcome, {@code sagaDuration} after it was placed. */
    public void finished(Outcome outcome, Duration sagaDuration) {
        afterCommit(() -> {
            outcomeCounter(outcome).increment();
            sagaDuration(outcome).record(sagaDuration);
        });
    }

    /** A saga waited past its deadline in {@code step}. */
    public void deadlineExpired(Step step) {
        afterCommit(deadlineCounter(step)::increment);
    }

    /** A {@code ReleaseStock} was written to the outbox. */
    public void compensation(Compensation cause) {
        afterCommit(compensationCounter(cause)::increment);
    }

    private Counter outcomeCounter(Outcome outcome) {
        String name = tag(outcome);
        return Counter.builder("polystore.orders." + name).description("Orders " + name).register(registry);
    }

    private Timer sagaDuration(Outcome outcome) {
        return Timer.builder("polystore.orders.saga.duration")
                .description("Time from placing an order to its outcome")
                .tag("outcome", tag(outcome))
                .publishPercentileHistogram()
                .serviceLevelObjectives(SLO)
                .register(registry);
    }

    private Counter deadlineCounter(Step step) {
        return Counter.builder("polystore.orders.saga.deadlines.expired")
                .description("Saga steps that waited past their deadline")
                .tag("step", tag(step))
                .register(registry);
    }

    private Counter compensationCounter(Compensation cause) {
        return Counter.builder("polystore.orders.saga.compensations")
                .description("ReleaseStock commands sent")
                .tag("cause", tag(cause))
                .register(registry);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static void afterCommit(Runnable action) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            action.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                action.run();
            }
        });
    }
}
