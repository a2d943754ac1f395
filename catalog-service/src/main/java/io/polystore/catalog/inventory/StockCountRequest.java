package io.polystore.catalog.inventory;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * The result of counting the shelf: the units available, replacing the recorded figure.
 *
 * @param available units on hand and not reserved, 0 or more
 */
public record StockCountRequest(@NotNull @PositiveOrZero @Max(1_000_000_000) Integer available,
                                @Size(max = 500) @Nullable String reason) {
}
