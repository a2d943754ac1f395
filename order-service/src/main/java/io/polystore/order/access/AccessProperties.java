package io.polystore.order.access;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * {@code polystore.access}: where a subject access export reads the audit trail's records about the customer.
 *
 * @param auditServiceUrl audit-service's address, as the gateway's {@code polystore.services.audit}
 * @param timeout         how long one page of audit records may take
 */
@Validated
@ConfigurationProperties("polystore.access")
public record AccessProperties(
        @DefaultValue("http://localhost:8084") @NotNull URI auditServiceUrl,
        @DefaultValue("30s") @NotNull Duration timeout) {
}
