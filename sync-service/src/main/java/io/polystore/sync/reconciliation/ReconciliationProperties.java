package io.polystore.sync.reconciliation;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Reconciliation of orders with reservations, under {@code polystore.sync.reconciliation}; each property is
 * described in the README. Order-service's database is the one {@code polystore.sync.postgres.*} names.
 */
@Validated
@ConfigurationProperties("polystore.sync.reconciliation")
public record ReconciliationProperties(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_]+") @DefaultValue("catalog") String catalogDatabase,
        @DefaultValue("true") boolean scheduled,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("5m") Duration interval,
        @DefaultValue("false") boolean scheduledRepair,
        @NotNull @DefaultValue("2m") Duration gracePeriod,
        @NotNull @DurationMin(seconds = 1) @DefaultValue("30d") Duration retention) {
}
