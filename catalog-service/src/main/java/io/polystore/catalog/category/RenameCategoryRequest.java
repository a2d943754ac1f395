package io.polystore.catalog.category;

import io.polystore.catalog.internal.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

public record RenameCategoryRequest(
        @NotBlank @Size(max = 200)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String name) {
}
