package io.polystore.catalog.category;

import io.polystore.catalog.internal.Names;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * @param parentId the parent category, or null for a root category
 */
public record CreateCategoryRequest(
        @NotBlank @Size(max = 200)
        @Pattern(regexp = Names.NO_CONTROL_CHARACTERS, message = Names.NO_CONTROL_CHARACTERS_MESSAGE) String name,
        @Size(min = 1, max = 100) @Nullable String parentId) {
}
