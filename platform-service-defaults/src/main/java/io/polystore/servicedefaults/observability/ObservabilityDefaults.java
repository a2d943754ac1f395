package io.polystore.servicedefaults.observability;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tracing and metrics every service shares beyond Boot's own: {@link EventTracing} for the outboxes and relays, and
 * the health components as a metric. Sampling, Kafka observation and histograms are plain properties in
 * {@code polystore-defaults.properties}.
 */
@Configuration(proxyBeanMethods = false)
public class ObservabilityDefaults {

    @Bean
    @ConditionalOnMissingBean
    EventTracing eventTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new EventTracing(tracer.getIfAvailable(() -> Tracer.NOOP), propagator.getIfAvailable(() -> Propagator.NOOP));
    }

    @Bean
    HealthMetrics healthMetrics(ObjectProvider<HealthEndpoint> health) {
        return new HealthMetrics(health);
    }
}
