package io.polystore.catalog.category;

import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.CatalogVersions;
import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.events.CategoryState;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The category tree. Each category keeps its ancestors, so the products of a category and all its descendants are
 * found with one indexed lookup. A category's parent is fixed at creation; a category with children or products
 * cannot be deleted. Every change writes the category's whole {@link CategoryState} into the outbox in the same
 * transaction, for the regions that replicate the catalog; its {@code version} grows with each.
 */
@Service
public class CategoryTree {

    private static final String UNKNOWN_PARENT = "unknown-parent";
    private static final String NOT_FOUND = "not-found";
    private static final String HAS_CHILDREN = "has-children";
    private static final String IN_USE = "in-use";

    private static final SurrealQl LET_CATEGORY = SurrealQl.of("LET $category = type::record('category', $key);");
    private static final SurrealQl EXISTS_AT_READ_VERSION = SurrealQl.throwIf("!record::exists($category)", NOT_FOUND)
            .then(SurrealQl.of("LET $current_version = $category.version;"))
            .then(SurrealQl.throwIf("$current_version != $expected_version", CatalogTransactions.STALE));

    /** The parent's ancestors, read before, never change: a category's parent is fixed at its creation. */
    private static SurrealQl create(SurrealQl outbox) {
        return SurrealQl.transaction(
                SurrealQl.of("LET $parent = IF $parent_key = NONE { NONE } ELSE { type::record('category', $parent_key) };"),
                SurrealQl.throwIf("$parent != NONE AND !record::exists($parent)", UNKNOWN_PARENT),
                SurrealQl.of("""
                        CREATE ONLY type::record('category', $key) CONTENT {
                            name: $name,
                            parent: $parent,
                            ancestors: $ancestors,
                            version: 1,
                            created_at: $now,
                            updated_at: $now
                        };"""), outbox);
    }

    private static SurrealQl rename(SurrealQl outbox) {
        return SurrealQl.transaction(LET_CATEGORY, EXISTS_AT_READ_VERSION, SurrealQl.of(
                "UPDATE ONLY $category SET name = $name, version = $expected_version + 1, updated_at = $now;"), outbox);
    }

    private static SurrealQl delete(SurrealQl outbox) {
        return SurrealQl.transaction(LET_CATEGORY, EXISTS_AT_READ_VERSION,
                SurrealQl.throwIf("count(SELECT id FROM category WHERE parent = $category LIMIT 1) > 0", HAS_CHILDREN),
                SurrealQl.throwIf("count(SELECT id FROM product WHERE categories CONTAINS $category LIMIT 1) > 0", IN_USE),
                SurrealQl.of("DELETE $category;"), outbox);
    }

    /** Categories whose state was never published (created before the catalog was replicated). */
    private static final SurrealQl UNPUBLISHED = SurrealQl.of("""
            SELECT * FROM category
            WHERE !record::exists(type::record('catalog_version', 'category:' + <string> record::id(id)))
            LIMIT $limit;""");

    /** Nothing but the outbox, if the category still has the version read and no state was published meanwhile. */
    private static SurrealQl publishUnpublished(SurrealQl outbox) {
        return SurrealQl.transaction(LET_CATEGORY, SurrealQl.of("LET $current_version = $category.version;"),
                CatalogVersions.LET_HELD, SurrealQl.throwIf("$held_version != 0 OR $current_version != $expected_version",
                        CatalogTransactions.STALE), outbox);
    }

    private static final SurrealQl GET = SurrealQl.of("SELECT * FROM ONLY type::record('category', $key);");
    private static final SurrealQl ALL = SurrealQl.of(
            "SELECT *, array::len(ancestors) AS depth FROM category ORDER BY depth, name, id;");
    private static final SurrealQl MISSING = SurrealQl.of(
            "RETURN { ids: array::filter($ids, |$id| !record::exists($id)) };");

    /** A row of {@code category}, as the store returns it. */
    private record CategoryRow(RecordId id, String name, RecordId parent, List<RecordId> ancestors, long version,
                               Instant createdAt, Instant updatedAt) {

        CategoryState state() {
            return new CategoryState(Keys.of(id), version, false, name, parent == null ? null : Keys.of(parent),
                    ancestors.stream().map(Keys::of).toList(), createdAt, updatedAt);
        }
    }

    private record RecordIds(List<RecordId> ids) {
    }

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CatalogTransactions transactions;
    private final Clock clock;

    CategoryTree(SurrealClient surreal, SurrealOutboxWriter outbox, CatalogTransactions transactions, Clock clock) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.transactions = transactions;
        this.clock = clock;
    }

    public CategoryView create(CreateCategoryRequest request) {
        String key = Keys.newKey();
        List<String> ancestors = new ArrayList<>();
        if (request.parentId() != null) {
            CategoryState parent = find(request.parentId())
                    .orElseThrow(() -> new InvalidInputException("parentId", "no category with this id"));
            ancestors.addAll(parent.ancestorIds());
            ancestors.add(parent.categoryId());
        }
        Instant now = clock.instant();
        CategoryState created = new CategoryState(key, 1, false, request.name().strip(), request.parentId(), ancestors,
                now, now);
        SurrealQl create = create(outbox(created)).with("key", key)
                .with("parent_key", request.parentId() == null ? SurrealNone.NONE : request.parentId())
                .with("name", created.name())
                .with("ancestors", ancestors.stream().map(id -> RecordId.of("category", id)).toList())
                .with("now", now);
        try {
            surreal.query(create).requireSuccess();
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(UNKNOWN_PARENT::equals).isPresent()) {
                throw new InvalidInputException("parentId", "no category with this id");
            }
            throw e;
        }
        return view(created);
    }

    public CategoryView get(String id) {
        return find(id).map(CategoryTree::view).orElseThrow(() -> new NotFoundException("category", id));
    }

    /** Every category, the roots first, then by depth and name. */
    public List<CategoryView> all() {
        return surreal.query(ALL).rows(0, CategoryRow.class).stream().map(row -> view(row.state())).toList();
    }

    public CategoryView rename(String id, RenameCategoryRequest request) {
        CategoryState renamed = changed(id, "Renaming category " + id, current -> new CategoryState(id,
                current.version() + 1, false, request.name().strip(), current.parentId(), current.ancestorIds(),
                current.createdAt(), clock.instant()), CategoryTree::rename);
        return view(renamed);
    }

    public void delete(String id) {
        changed(id, "Deleting category " + id, current -> new CategoryState(id, current.version() + 1, true,
                current.name(), current.parentId(), current.ancestorIds(), current.createdAt(), clock.instant()),
                CategoryTree::delete);
    }

    /**
     * Publishes the state of categories that never had one (created before the catalog was replicated between regions),
     * at most {@code batch}, so that the replication topic holds the whole catalog. A category changed meanwhile is
     * left: its change published it. Returns how many states it published.
     */
    public int publishUnpublishedStates(int batch) {
        int published = 0;
        for (CategoryRow row : surreal.query(UNPUBLISHED.with("limit", batch)).rows(0, CategoryRow.class)) {
            CategoryState state = row.state();
            try {
                surreal.query(publishUnpublished(outbox(state)).with("key", state.categoryId())
                        .with("expected_version", state.version())).requireSuccess();
                published++;
            } catch (SurrealStatementException e) {
                if (!e.isRetryable() && e.thrownCode().filter(CatalogTransactions.STALE::equals).isEmpty()) {
                    throw e;
                }
            }
        }
        return published;
    }

    /** The keys of the given categories that do not exist. */
    public List<String> missing(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<RecordId> records = ids.stream().map(id -> RecordId.of("category", id)).toList();
        return surreal.query(MISSING.with("ids", records)).result(0, RecordIds.class).ids().stream().map(Keys::of).toList();
    }

    /**
     * Changes a category read first: the change's transaction throws {@code stale} if the category changed meanwhile,
     * and the whole attempt runs again.
     */
    private CategoryState changed(String id, String what, UnaryOperator<CategoryState> change,
                                  UnaryOperator<SurrealQl> transaction) {
        try {
            return transactions.run(what, () -> {
                CategoryState current = find(id).orElseThrow(() -> new NotFoundException("category", id));
                CategoryState next = change.apply(current);
                surreal.query(transaction.apply(outbox(next)).with("key", id).with("name", next.name())
                        .with("expected_version", current.version()).with("now", next.updatedAt())).requireSuccess();
                return next;
            });
        } catch (SurrealStatementException e) {
            switch (e.thrownCode().orElse("")) {
                case NOT_FOUND -> throw new NotFoundException("category", id);
                case HAS_CHILDREN -> throw new ConflictException("Category '" + id + "' has subcategories; delete them first");
                case IN_USE -> throw new ConflictException("Category '" + id + "' still has products");
                default -> throw e;
            }
        }
    }

    private Optional<CategoryState> find(String id) {
        return surreal.query(GET.with("key", id)).firstRow(0, CategoryRow.class).map(CategoryRow::state);
    }

    /** Its replication version recorded, and its state into the outbox for the regions that replicate the catalog. */
    private SurrealQl outbox(CategoryState state) {
        return CatalogVersions.record(state.aggregateId(), state.version(), state.updatedAt())
                .then(outbox.statements(List.of(state)));
    }

    private static CategoryView view(CategoryState state) {
        return new CategoryView(state.categoryId(), state.name(), state.parentId(), state.ancestorIds(),
                state.createdAt(), state.updatedAt());
    }
}
