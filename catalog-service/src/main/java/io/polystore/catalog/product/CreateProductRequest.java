package io.polystore.catalog.product;

import io.polystore.catalog.internal.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * A new product.
 *
 * @param attributes   free-form JSON (colour, size, ...): any keys and values
 * @param categoryIds  the categories it belongs to
 * @param active       whether it can be ordered; true when absent
 * @param initialStock units in stock from the start; 0 when absent
 */
public record CreateProductRequest(
        @NotBlank @Size(max = 100)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String sku,
        @NotBlank @Size(max = 300)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String name,
        @Size(max = 10_000) @Nullable String description,
        @NotNull @Valid PriceRequest price,
        @Size(max = 100) @Nullable Map<@NotBlank @Size(max = 100) String, Object> attributes,
        @Size(max = 50) @Nullable List<@NotBlank @Size(max = 100) String> categoryIds,
        @Nullable Boolean active,
        @PositiveOrZero @Max(1_000_000_000) @Nullable Integer initialStock) {
}
