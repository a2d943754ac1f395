package io.polystore.order.placement;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code polystore.orders.*}.
 *
 * @param maxLines the most lines one order may have
 */
@Validated
@ConfigurationProperties("polystore.orders")
public record OrderProperties(@DefaultValue("50") @Min(1) @Max(1000) int maxLines) {
}
