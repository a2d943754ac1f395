package io.polystore.order.observability;

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

    private final OrderPlacementSaga saga;
    private final Clock clock;
    private Map<SagaState, Long> counts;
    private Instant countedAt = Instant.MIN;
    private OverdueSagas overdue;
    private Instant overdueAt = Instant.MIN;

    SagaStateMetrics(OrderPlacementSaga saga, Clock clock) {
        this.saga = saga;
        this.clock = clock;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SagaState state : SagaState.values()) {
            Gauge.builder("polystore.orders.sagas", this, metrics -> metrics.count(state))
                    .description("Order sagas per state")
                    .tag("state", state.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
        Gauge.builder("polystore.orders.sagas.overdue", this, metrics -> metrics.overdue(OverdueSagas::sagas))
                .description("Sagas past their deadline that no replica has handled yet")
                .register(registry);
        TimeGauge.builder("polystore.orders.sagas.overdue.age", this, TimeUnit.SECONDS,
                        metrics -> metrics.overdue(this::oldestOverdueSeconds))
                .description("How long the saga longest past its deadline has waited; 0 when none")
                .register(registry);
    }

    private double oldestOverdueSeconds(OverdueSagas overdue) {
        return overdue.earliestDeadline() == null ? 0
                : Math.max(0, Duration.between(overdue.earliestDeadline(), clock.instant()).toMillis() / 1000.0);
    }

    private synchronized double overdue(ToDoubleFunction<OverdueSagas> value) {
        Instant now = clock.instant();
        if (overdue == null || overdueAt.plus(REUSE).isBefore(now)) {
            try {
                overdue = saga.overdue();
                overdueAt = now;
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return value.applyAsDouble(overdue);
    }

    private synchronized double count(SagaState state) {
        Instant now = clock.instant();
        if (counts == null || countedAt.plus(REUSE).isBefore(now)) {
            try {
                counts = saga.countByState();
                countedAt = now;
            } catch (RuntimeException e) {
                return Double.NaN;
            }
        }
        return counts.getOrDefault(state, 0L);
    }
}
