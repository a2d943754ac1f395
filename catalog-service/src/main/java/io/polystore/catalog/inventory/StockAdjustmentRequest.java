package io.polystore.catalog.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * Units added to the available stock (a delivery, returns found sellable).
 *
 * @param quantity how many, at least 1
 * @param reason   why, for the log (e.g. the delivery note)
 */
public record StockAdjustmentRequest(@NotNull @Positive @Max(1_000_000_000) Integer quantity,
                                     @Size(max = 500) @Nullable String reason) {
}
