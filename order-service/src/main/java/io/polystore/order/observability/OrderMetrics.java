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
 * {@code polystore.orders.placed|confirmed|rejected|cancelled} and {@code polystore.orders.saga.duration}
 * (from placement to the outcome, by {@code outcome}, with histogram buckets for percentiles).
 */
@Component
public class OrderMetrics {

    public enum Outcome {
        CONFIRMED, REJECTED, CANCELLED
    }

    private final MeterRegistry registry;
    private final Counter placed;

    OrderMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.placed = Counter.builder("polystore.orders.placed").description("Orders placed").register(registry);
    }

    public void placed() {
        afterCommit(placed::increment);
    }

    /** An order reached an outcome, {@code sagaDuration} after it was placed. */
    public void finished(Outcome outcome, Duration sagaDuration) {
        String name = outcome.name().toLowerCase(Locale.ROOT);
        afterCommit(() -> {
            Counter.builder("polystore.orders." + name).description("Orders " + name).register(registry).increment();
            Timer.builder("polystore.orders.saga.duration")
                    .description("Time from placing an order to its outcome")
                    .tag("outcome", name)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(sagaDuration);
        });
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
