package io.polystore.catalog.category;

import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The category tree. Each category keeps its ancestors, so the products of a category and all its descendants are
 * found with one indexed lookup. A category's parent is fixed at creation; a category with children or products
 * cannot be deleted.
 */
@Service
public class CategoryTree {

    private static final String UNKNOWN_PARENT = "unknown-parent";
    private static final String NOT_FOUND = "not-found";
    private static final String HAS_CHILDREN = "has-children";
    private static final String IN_USE = "in-use";

    private static final SurrealQl CREATE = SurrealQl.transaction(
            SurrealQl.of("LET $parent = IF $parent_key = NONE { NONE } ELSE { type::record('category', $parent_key) };"),
            SurrealQl.throwIf("$parent != NONE AND !record::exists($parent)", UNKNOWN_PARENT),
            SurrealQl.of("""
                    LET $ancestors = IF $parent = NONE { [] } ELSE { array::append($parent.ancestors, $parent) };
                    CREATE ONLY type::record('category', $key) CONTENT {
                        name: $name,
                        parent: $parent,
                        ancestors: $ancestors,
                        created_at: $now,
                        updated_at: $now
                    };"""));
    /** The statement of {@link #CREATE} that returns the category. */
    private static final int CREATED = 4;

    private static final SurrealQl GET = SurrealQl.of("SELECT * FROM ONLY type::record('category', $key);");
    private static final SurrealQl ALL = SurrealQl.of(
            "SELECT *, array::len(ancestors) AS depth FROM category ORDER BY depth, name, id;");
    private static final SurrealQl EXISTS = SurrealQl.of("RETURN record::exists(type::record('category', $key));");
    private static final SurrealQl RENAME = SurrealQl.of(
            "UPDATE ONLY type::record('category', $key) SET name = $name, updated_at = $now RETURN AFTER;");
    private static final SurrealQl MISSING = SurrealQl.of(
            "RETURN { ids: array::filter($ids, |$id| !record::exists($id)) };");

    private static final SurrealQl DELETE = SurrealQl.transaction(
            SurrealQl.of("LET $category = type::record('category', $key);"),
            SurrealQl.throwIf("!record::exists($category)", NOT_FOUND),
            SurrealQl.throwIf("count(SELECT id FROM category WHERE parent = $category LIMIT 1) > 0", HAS_CHILDREN),
            SurrealQl.throwIf("count(SELECT id FROM product WHERE categories CONTAINS $category LIMIT 1) > 0", IN_USE),
            SurrealQl.of("DELETE $category;"));

    /** A row of {@code category}, as the store returns it. */
    private record CategoryRow(RecordId id, String name, RecordId parent, List<RecordId> ancestors, Instant createdAt,
                               Instant updatedAt) {

        CategoryView view() {
            return new CategoryView(Keys.of(id), name, parent == null ? null : Keys.of(parent),
                    ancestors.stream().map(Keys::of).toList(), createdAt, updatedAt);
        }
    }

    private record RecordIds(List<RecordId> ids) {
    }

    private final SurrealClient surreal;
    private final Clock clock;

    CategoryTree(SurrealClient surreal, Clock clock) {
        this.surreal = surreal;
        this.clock = clock;
    }

    public CategoryView create(CreateCategoryRequest request) {
        SurrealQl create = CREATE.with("key", Keys.newKey())
                .with("parent_key", request.parentId() == null ? SurrealNone.NONE : request.parentId())
                .with("name", request.name().strip())
                .with("now", clock.instant());
        try {
            return surreal.query(create).requireSuccess().firstRow(CREATED, CategoryRow.class).orElseThrow().view();
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(UNKNOWN_PARENT::equals).isPresent()) {
                throw new InvalidInputException("parentId", "no category with this id");
            }
            throw e;
        }
    }

    public CategoryView get(String id) {
        return surreal.query(GET.with("key", id)).firstRow(0, CategoryRow.class).map(CategoryRow::view)
                .orElseThrow(() -> new NotFoundException("category", id));
    }

    /** Every category, the roots first, then by depth and name. */
    public List<CategoryView> all() {
        return surreal.query(ALL).rows(0, CategoryRow.class).stream().map(CategoryRow::view).toList();
    }

    public CategoryView rename(String id, RenameCategoryRequest request) {
        if (!Boolean.TRUE.equals(surreal.query(EXISTS.with("key", id)).result(0))) {
            throw new NotFoundException("category", id);
        }
        return surreal.query(RENAME.with("key", id).with("name", request.name().strip()).with("now", clock.instant()))
                .firstRow(0, CategoryRow.class).map(CategoryRow::view)
                .orElseThrow(() -> new NotFoundException("category", id));
    }

    public void delete(String id) {
        try {
            surreal.query(DELETE.with("key", id)).requireSuccess();
        } catch (SurrealStatementException e) {
            switch (e.thrownCode().orElse("")) {
                case NOT_FOUND -> throw new NotFoundException("category", id);
                case HAS_CHILDREN -> throw new ConflictException("Category '" + id + "' has subcategories; delete them first");
                case IN_USE -> throw new ConflictException("Category '" + id + "' still has products");
                default -> throw e;
            }
        }
    }

    /** The keys of the given categories that do not exist. */
    public List<String> missing(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<RecordId> records = ids.stream().map(id -> RecordId.of("category", id)).toList();
        return surreal.query(MISSING.with("ids", records)).result(0, RecordIds.class).ids().stream().map(Keys::of).toList();
    }
}
