package io.polystore.catalog.product;

import io.polystore.catalog.internal.Names;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Map;

/**
 * The new state of a product, replacing the old one.
 *
 * @param version the version this change is based on (from the product or its ETag); a product changed meanwhile
 *                gives 409
 */
public record UpdateProductRequest(
        @NotBlank @Size(max = 100)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String sku,
        @NotBlank @Size(max = 300)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String name,
        @Size(max = 10_000) @Nullable String description,
        @NotNull @Valid PriceRequest price,
        @Size(max = 100) @Nullable Map<@NotBlank @Size(max = 100) String, Object> attributes,
        @Size(max = 50) @Nullable List<@NotBlank @Size(max = 100) String> categoryIds,
        @NotNull Boolean active,
        @NotNull @Positive Long version) {
}
