package io.polystore.audit.retention;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.audit.retention.*}.
 *
 * @param period     how long records are kept at least; older ones leave in whole checkpointed segments. Written
 *                   into the database by the owner at start-up, so the application cannot shorten it
 * @param checkEvery how often the service retires expired segments
 */
@Validated
@ConfigurationProperties("polystore.audit.retention")
public record RetentionProperties(
        @DefaultValue("3650d") @NotNull Duration period,
        @DefaultValue("1h") @NotNull Duration checkEvery) {

    public RetentionProperties {
        if (period != null && (period.isNegative() || period.isZero())) {
            throw new IllegalArgumentException("polystore.audit.retention.period must be positive, was " + period);
        }
    }
}
