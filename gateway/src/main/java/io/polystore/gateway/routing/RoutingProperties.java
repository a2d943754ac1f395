package io.polystore.gateway.routing;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code polystore.gateway.routing}: how the {@code Resilient} route filter retries and where a service's instances
 * are. A request that could not reach the service is retried; a read (GET, HEAD, OPTIONS without a body) also when it
 * was answered 502 or 503, and a read or a request with an {@code Idempotency-Key} also when the exchange broke
 * without an answer.
 * Connections are pooled per service; timeouts are the HTTP client's ({@code spring.http.clients.connect-timeout}, {@code read-timeout}); circuit
 * breakers are Resilience4j's ({@code resilience4j.circuitbreaker.instances.<route-id>}).
 *
 * @param readRetries              how many times a failed read is tried again
 * @param retryBackoff             the pause before each retry
 * @param maxConnectionsPerService pooled connections to one service
 * @param maxConnections           pooled connections to all services together
 * @param instances                the instances of a service that runs several, by service name
 *                                 ({@code instances.orders=http://a:8081,http://b:8081}): requests whose route names
 *                                 one of them (its {@code polystore.services.*} address) go to each in turn, and a
 *                                 retry to the next; none for a service behind one address (a Kubernetes Service)
 */
@Validated
@ConfigurationProperties("polystore.gateway.routing")
public record RoutingProperties(
        @DefaultValue("2") @Min(0) @Max(5) int readRetries,
        @DefaultValue("50ms") @NotNull Duration retryBackoff,
        @DefaultValue("200") @Min(1) int maxConnectionsPerService,
        @DefaultValue("1000") @Min(1) int maxConnections,
        @DefaultValue Map<String, List<URI>> instances) {
}
