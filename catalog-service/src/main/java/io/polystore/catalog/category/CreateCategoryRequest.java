package io.polystore.catalog.category;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/**
 * @param parentId the parent category, or null for a root category
 */
public record CreateCategoryRequest(@NotBlank @Size(max = 200) String name,
                                    @Size(min = 1, max = 100) @Nullable String parentId) {
}
