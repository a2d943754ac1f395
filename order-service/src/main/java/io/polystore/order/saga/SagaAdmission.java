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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure at the door: {@code POST /orders} is refused with 503 and {@code Retry-After} while the saga behind it
 * has fallen behind, that is while more than {@code polystore.orders.saga.admission-max-backlog} sagas have waited
 * longer than {@code admission-max-lag} for the catalog's stock reply. Without this, a burst fills a backlog whose
 * orders pass their deadlines and are rejected for a delay the platform itself caused. The backlog is counted on a
 * schedule, not per request. Orders are also placed at most {@code admission-max-concurrent} at a time: a request
 * waits up to {@code admission-wait} for a place and is refused with 503 after that, instead of queueing for a
 * database connection that the saga's listeners need.
 */
@Component
public class SagaAdmission implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(SagaAdmission.class);

    private final SagaJournal journal;
    private final SagaProperties properties;
    private final Clock clock;
    private final Counter refused;
    private final Semaphore places;
    private volatile long backlog;

    SagaAdmission(SagaJournal journal, SagaProperties properties, Clock clock, MeterRegistry registry) {
        this.journal = journal;
        this.properties = properties;
        this.clock = clock;
        this.places = new Semaphore(properties.admissionMaxConcurrent(), true);
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

    /** A place to place an order in; closing it gives the place back. */
    public interface Permit extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @throws ErrorResponseException 503 with {@code Retry-After} while the saga is behind, or when no place to place
     *                                an order came free in time
     */
    public Permit admit() {
        long waiting = backlog;
        if (waiting > properties.admissionMaxBacklog()) {
            long retryAfter = Math.max(1, properties.admissionMaxLag().toSeconds());
            throw busy("the platform is working off a backlog (" + waiting + " orders wait longer than "
                    + properties.admissionMaxLag().toSeconds() + " s for their stock)", retryAfter);
        }
        try {
            if (!places.tryAcquire(properties.admissionWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy("more orders arrive than can be placed at once", 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("the service is stopping", 1);
        }
        return places::release;
    }

    private ErrorResponseException busy(String why, long retryAfterSeconds) {
        refused.increment();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "Orders are taken again "
                + "shortly: " + why + ". Send the same request again after " + retryAfterSeconds
                + " s, with the same Idempotency-Key.");
        problem.setTitle("Busy");
        ErrorResponseException busy = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, problem, null);
        busy.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        return busy;
    }

    void refresh() {
        try {
            backlog = journal.awaitingStockSince(clock.instant().minus(properties.admissionMaxLag()));
        } catch (RuntimeException e) {
            // Keep the last count: the database being away shows in placing orders anyway.
            log.warn("Cannot count the saga's backlog: {}", e.toString());
        }
    }
}
