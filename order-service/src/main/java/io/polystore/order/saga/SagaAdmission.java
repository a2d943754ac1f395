package io.polystore.order.saga;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.order.saga.internal.SagaJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import java.time.Clock;

/**
 * Back-pressure at the door: {@code POST /orders} is refused with 503 and {@code Retry-After} while the saga behind it
 * has fallen behind, that is while more than {@code polystore.orders.saga.admission-max-backlog} sagas have waited
 * longer than {@code admission-max-lag} for the catalog's stock reply. Placing an order is one PostgreSQL transaction and keeps up with
 * far more than the saga; without this, a burst fills a backlog whose orders pass their deadlines and are rejected
 * for a delay the platform itself caused. The backlog is counted on a schedule, not per request.
 */
@Component
public class SagaAdmission implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SagaAdmission.class);

    private final SagaJournal journal;
    private final SagaProperties properties;
    private final Clock clock;
    private final Counter refused;
    private volatile long backlog;

    SagaAdmission(SagaJournal journal, SagaProperties properties, Clock clock, MeterRegistry registry) {
        this.journal = journal;
        this.properties = properties;
        this.clock = clock;
        this.refused = Counter.builder("polystore.orders.admission.refused")
                .description("Orders refused with 503 because the saga had fallen behind")
                .register(registry);
        Gauge.builder("polystore.orders.saga.backlog", this, admission -> admission.backlog)
                .description("Sagas waiting longer than admission-max-lag for the catalog's stock reply, as last counted")
                .register(registry);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(this::refresh, properties.admissionCheckInterval());
    }

    /**
     * @throws ErrorResponseException 503 with {@code Retry-After} while the saga is behind
     */
    public void requireCapacity() {
        long waiting = backlog;
        if (waiting > properties.admissionMaxBacklog()) {
            refused.increment();
            long retryAfter = Math.max(1, properties.admissionMaxLag().toSeconds());
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                    "Orders are taken again shortly: the platform is working off a backlog (" + waiting + " orders wait "
                            + "longer than " + properties.admissionMaxLag().toSeconds() + " s for their stock). Send the "
                            + "same request again after " + retryAfter + " s, with the same Idempotency-Key.");
            problem.setTitle("Busy");
            ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
            busy.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
            throw busy;
        }
    }

    void refresh() {
        try {
            backlog = journal.awaitingStockSince(clock.instant().minus(properties.admissionMaxLag()));
        } catch (RuntimeException e) {
            // Keep the last count: the database being away shows in placing orders anyway.
            log.debug("Cannot count the saga's backlog", e);
        }
    }
}
