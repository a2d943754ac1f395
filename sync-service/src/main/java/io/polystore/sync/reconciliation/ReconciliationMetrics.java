package io.polystore.sync.reconciliation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.polystore.sync.reconciliation.internal.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * The drift of the newest run, per kind, read from the stored runs so that every replica reports the same values
 * whichever ran last (sampled at most every ten seconds; a run on this replica updates it at once; NaN while the
 * database cannot be read), and the duration and outcome of runs.
 */
public final class ReconciliationMetrics {

    private static final Logger log = LoggerFactory.getLogger(ReconciliationMetrics.class);
    private static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);

    private final RunStore runs;
    private final MeterRegistry registry;
    private final Clock clock;
    private Instant sampledAt = Instant.MIN;
    private Map<DriftKind, Integer> latest = Map.of();

    public ReconciliationMetrics(RunStore runs, MeterRegistry registry, Clock clock) {
        this.runs = runs;
        this.registry = registry;
        this.clock = clock;
        for (DriftKind kind : DriftKind.values()) {
            Gauge.builder("polystore.sync.reconciliation.drift", this, metrics -> metrics.drift(kind))
                    .description("Drift of the newest reconciliation run, by kind")
                    .tag("kind", kind.name())
                    .register(registry);
        }
        // At zero from the start, so that "no run yet" shows as 0 runs, not as a missing series.
        for (ReconciliationRun.Trigger trigger : ReconciliationRun.Trigger.values()) {
            timer(trigger, "success");
            timer(trigger, "failure");
        }
    }

    synchronized void finished(ReconciliationRun run) {
        Map<DriftKind, Integer> counts = new EnumMap<>(DriftKind.class);
        run.drift().forEach(drift -> counts.merge(drift.kind(), 1, Integer::sum));
        latest = counts;
        sampledAt = clock.instant();
        timer(run.trigger(), "success").record(Duration.between(run.startedAt(), run.finishedAt()));
    }

    void failed(ReconciliationRun.Trigger trigger, Duration took) {
        timer(trigger, "failure").record(took);
    }

    synchronized double drift(DriftKind kind) {
        Instant now = clock.instant();
        if (sampledAt.plus(SAMPLE_INTERVAL).isBefore(now)) {
            sampledAt = now;
            try {
                latest = runs.latestDriftCounts();
            } catch (RuntimeException e) {
                log.debug("Cannot read the latest reconciliation drift: {}", e.getMessage());
                latest = null;
            }
        }
        return latest == null ? Double.NaN : latest.getOrDefault(kind, 0);
    }

    private Timer timer(ReconciliationRun.Trigger trigger, String outcome) {
        return Timer.builder("polystore.sync.reconciliation.runs")
                .description("Reconciliation runs and how long they took")
                .tag("trigger", trigger.name())
                .tag("outcome", outcome)
                .register(registry);
    }
}
