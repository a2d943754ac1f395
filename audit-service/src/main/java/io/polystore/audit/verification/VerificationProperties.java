package io.polystore.audit.verification;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code polystore.audit.verification.*}.
 *
 * @param every        how often the whole retained chain is verified in the background
 * @param initialDelay how long after start-up the first background verification runs
 */
@Validated
@ConfigurationProperties("polystore.audit.verification")
public record VerificationProperties(
        @DefaultValue("1h") @NotNull Duration every,
        @DefaultValue("1m") @NotNull Duration initialDelay) {
}
