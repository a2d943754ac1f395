package io.polystore.order.saga.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.polystore.order.saga.OrderPlacementSaga;
import io.polystore.order.saga.SagaState;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * {@code polystore.orders.sagas} by {@code state}: how many sagas are in each state. One grouped count serves all
 * states and is reused for a few seconds, so that a scrape costs at most one query.
 */
@Component
class SagaStateMetrics implements MeterBinder {

    private static final Duration REUSE = Duration.ofSeconds(5);

    private final OrderPlacementSaga saga;
    private final Clock clock;
    private Map<SagaState, Long> counts;
    private Instant countedAt = Instant.MIN;

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
