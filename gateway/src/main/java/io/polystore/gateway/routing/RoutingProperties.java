package io.polystore.gateway.routing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.gateway.routing}: how the {@code Resilient} route filter retries. Only reads are retried
 * (GET, HEAD, OPTIONS without a body), and only when the service could not be reached or answered 502 or 503.
 * Connections are pooled per service; timeouts are the HTTP client's ({@code spring.http.clients.connect-timeout}, {@code read-timeout}); circuit
 * breakers are Resilience4j's ({@code resilience4j.circuitbreaker.instances.<route-id>}).
 *
 * @param readRetries              how many times a failed read is tried again
 * @param retryBackoff             the pause before each retry
 * @param maxConnectionsPerService pooled connections to one service
 * @param maxConnections           pooled connections to all services together
 */
@Validated
@ConfigurationProperties("polystore.gateway.routing")
public record RoutingProperties(
        @DefaultValue("2") @Min(0) @Max(5) int readRetries,
        @DefaultValue("50ms") @NotNull Duration retryBackoff,
        @DefaultValue("200") @Min(1) int maxConnectionsPerService,
        @DefaultValue("1000") @Min(1) int maxConnections) {
}
