package io.polystore.catalog.category;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * A category of the tree.
 *
 * @param parentId    null for a root category
 * @param ancestorIds every ancestor, the root first
 */
public record CategoryView(String id, String name, @Nullable String parentId, List<String> ancestorIds,
                           Instant createdAt, Instant updatedAt) {
}
