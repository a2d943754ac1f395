package io.polystore.gateway.audit;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * {@code polystore.gateway.audit}: the access audit, one {@code AccessDecided} event per request on
 * {@code audit.events}.
 *
 * @param enabled          whether access decisions are published at all
 * @param bufferCapacity   events held while Kafka is slow or down; beyond that, new events are dropped and counted
 *                         in {@code polystore.gateway.audit.dropped}
 * @param retryBackoff     pause after Kafka refused or lost a send, before trying again
 * @param drainOnShutdown  how long shutdown waits for buffered events to be sent
 * @param quietPaths       path patterns whose allowed requests are not published (probes, metric scrapes, static
 *                         files); denied requests are always published
 */
@Validated
@ConfigurationProperties("polystore.gateway.audit")
public record AuditProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("10000") @Min(1) int bufferCapacity,
        @DefaultValue("1s") @NotNull Duration retryBackoff,
        @DefaultValue("5s") @NotNull Duration drainOnShutdown,
        @DefaultValue({"/actuator/health/**", "/actuator/prometheus", "/swagger-ui/**"})
        List<String> quietPaths) {
}
