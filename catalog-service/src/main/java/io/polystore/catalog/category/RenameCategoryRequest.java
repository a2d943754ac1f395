package io.polystore.catalog.category;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

public record RenameCategoryRequest(@NotBlank @Size(max = 200) String name) {
}
