package io.polystore.events;

import java.time.Instant;
import java.util.List;

/**
 * The whole state of a category of the global catalog, published by the region that writes the catalog on every change
 * (create, rename, deletion). Keyed {@code category:<categoryId>}; a replica applies a state only if its
 * {@code version} is above the one it holds.
 *
 * @param categoryId  the category's SurrealDB record key
 * @param version     1 when created, one more with every change (its deletion included)
 * @param deleted     the category no longer exists; the other fields are its last state
 * @param parentId    null for a root
 * @param ancestorIds every ancestor, the root first, ending with the parent; empty for a root
 */
@EventType(name = "io.polystore.catalog.CategoryState", version = 1, topic = Topics.CATALOG_REPLICATION)
public record CategoryState(String categoryId, long version, boolean deleted, String name, String parentId,
        List<String> ancestorIds, Instant createdAt, Instant updatedAt) implements PolystoreEvent {

    /** The Kafka key and CloudEvents subject of a category's states. */
    public static String keyOf(String categoryId) {
        return "category:" + Require.notBlank(categoryId, "categoryId");
    }

    public CategoryState {
        Require.notBlank(categoryId, "categoryId");
        Require.positive(version, "version");
        Require.notBlank(name, "name");
        Require.nullOrNotBlank(parentId, "parentId");
        ancestorIds = Require.notBlankCopy(ancestorIds, "ancestorIds");
        boolean endsWithParent = parentId == null ? ancestorIds.isEmpty()
                : !ancestorIds.isEmpty() && ancestorIds.getLast().equals(parentId);
        if (!endsWithParent) {
            throw new IllegalArgumentException("ancestorIds must end with parentId (and be empty for a root)");
        }
        Require.notNull(createdAt, "createdAt");
        Require.notNull(updatedAt, "updatedAt");
    }

    @Override
    public String aggregateId() {
        return keyOf(categoryId);
    }
}
