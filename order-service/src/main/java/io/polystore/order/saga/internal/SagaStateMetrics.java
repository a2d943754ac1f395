package io.polystore.order.saga.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.TimeGauge;
import io.polystore.order.saga.OrderPlacementSaga;
import io.polystore.order.saga.OverdueSagas;
import io.polystore.order.saga.SagaState;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code polystore.orders.sagas} by {@code state}: how many sagas are in each state; {@code polystore.orders.sagas.overdue}
 * and {@code polystore.orders.sagas.overdue.age}: how many sagas wait past their deadline without a replica handling
 * them, and for how long the oldest has (0 when none; the deadline poller handles a due saga within its interval, so
 * an age that keeps growing means sagas are stuck). The counts are reused for a few seconds, so that a scrape costs at
 * most two queries.
 */
@Component
class SagaStateMetrics implements MeterBinder {

    private static final Duration REUSE = Duration.ofSeconds(5);

    private final Clock clock;
    private final Reused<Map<SagaState, Long>> counts;
    private final Reused<OverdueSagas> overdue;

    SagaStateMetrics(OrderPlacementSaga saga, Clock clock) {
        this.clock = clock;
        this.counts = new Reused<>(saga::countByState, clock);
        this.overdue = new Reused<>(saga::overdue, clock);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SagaState state : SagaState.values()) {
            Gauge.builder("polystore.orders.sagas", counts, reused -> reused.value(byState -> byState.getOrDefault(state, 0L)))
                    .description("Order sagas per state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("polystore.orders.sagas.overdue", overdue, reused -> reused.value(OverdueSagas::sagas))
                .description("Sagas past their deadline that no replica has handled yet")
                .register(registry);
        TimeGauge.builder("polystore.orders.sagas.overdue.age", overdue, TimeUnit.SECONDS,
                        reused -> reused.value(this::oldestOverdueSeconds))
                .description("How long the saga longest past its deadline has waited; 0 when none")
                .register(registry);
    }

    private double oldestOverdueSeconds(OverdueSagas overdue) {
        return overdue.earliestDeadline() == null ? 0
                : Math.max(0, Duration.between(overdue.earliestDeadline(), clock.instant()).toMillis() / 1000.0);
    }

    /** A query's result, read again once it is older than {@link #REUSE}; NaN while it cannot be read. */
    private static final class Reused<T> {

        private final Supplier<T> query;
        private final Clock clock;
        private T value;
        private Instant readAt = Instant.MIN;

        Reused(Supplier<T> query, Clock clock) {
            this.query = query;
            this.clock = clock;
        }

        synchronized double value(ToDoubleFunction<T> metric) {
            Instant now = clock.instant();
            if (value == null || readAt.plus(REUSE).isBefore(now)) {
                try {
                    value = query.get();
                    readAt = now;
                } catch (RuntimeException e) {
                    return Double.NaN;
                }
            }
            return metric.applyAsDouble(value);
        }
    }
}
