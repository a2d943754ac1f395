package io.polystore.servicedefaults.observability;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

import java.time.Duration;
import java.util.Map;

/**
 * {@code polystore.health{component}}: 1 while a health component ({@code db}, {@code surrealdb}, {@code relays},
 * ...) is UP, 0 while it is DOWN or OUT_OF_SERVICE, NaN while UNKNOWN or missing. It is how the dashboards and alerts
 * see the stores, which have no exporter of their own here. One health evaluation serves a scrape and is reused for
 * a few seconds, so that scrapes never multiply the health checks' queries.
 */
public final class HealthMetrics implements MeterBinder {

    private static final Duration REUSE = Duration.ofSeconds(5);

    private final ObjectProvider<HealthEndpoint> health;
    private Map<String, HealthDescriptor> components = Map.of();
    private long evaluatedAt = Long.MIN_VALUE;

    HealthMetrics(ObjectProvider<HealthEndpoint> health) {
        this.health = health;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        HealthEndpoint endpoint = health.getIfAvailable();
        if (endpoint == null) {
            return;
        }
        // The components exist from start-up on; evaluating them once here names them.
        components().keySet().forEach(component -> Gauge.builder("polystore.health", this, metrics -> metrics.value(component))
                .description("1 while the health component is UP, 0 while DOWN or OUT_OF_SERVICE")
                .tag("component", component)
                .register(registry));
    }

    private double value(String component) {
        HealthDescriptor descriptor = components().get(component);
        if (descriptor == null) {
            return Double.NaN;
        }
        return value(descriptor.getStatus());
    }

    static double value(Status status) {
        if (Status.UP.equals(status)) {
            return 1;
        }
        return Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status) ? 0 : Double.NaN;
    }

    private synchronized Map<String, HealthDescriptor> components() {
        long now = System.nanoTime();
        if (evaluatedAt != Long.MIN_VALUE && now - evaluatedAt < REUSE.toNanos()) {
            return components;
        }
        HealthDescriptor overall = health.getObject().health();
        components = overall instanceof CompositeHealthDescriptor composite ? composite.getComponents() : Map.of();
        evaluatedAt = now;
        return components;
    }
}
