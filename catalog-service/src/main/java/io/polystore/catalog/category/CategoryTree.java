package io.polystore.catalog.category;

import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.InvalidInputException;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.Rows;
import io.polystore.catalog.internal.ThrownCode;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The category tree. Each category keeps its ancestors, so the products of a category and all its descendants are
 * found with one indexed lookup. A category's parent is fixed at creation; a category with children or products
 * cannot be deleted.
 */
@Service
public class CategoryTree {

    private static final String CREATE = """
            BEGIN TRANSACTION;
            LET $parent = IF $parent_key = NONE { NONE } ELSE { type::record('category', $parent_key) };
            IF $parent != NONE AND !record::exists($parent) { %s };
            LET $ancestors = IF $parent = NONE { [] } ELSE { array::append($parent.ancestors, $parent) };
            CREATE ONLY type::record('category', $key) CONTENT {
                name: $name,
                parent: $parent,
                ancestors: $ancestors,
                created_at: $now,
                updated_at: $now
            };
            COMMIT TRANSACTION;
            """.formatted(ThrownCode.throwing("unknown-parent"));

    private static final String RENAME = """
            UPDATE ONLY type::record('category', $key) SET name = $name, updated_at = $now RETURN AFTER;
            """;

    private static final String DELETE = """
            BEGIN TRANSACTION;
            LET $category = type::record('category', $key);
            IF !record::exists($category) { %s };
            IF count(SELECT id FROM category WHERE parent = $category LIMIT 1) > 0 { %s };
            IF count(SELECT id FROM product WHERE categories CONTAINS $category LIMIT 1) > 0 { %s };
            DELETE $category;
            COMMIT TRANSACTION;
            """.formatted(ThrownCode.throwing("not-found"), ThrownCode.throwing("has-children"),
            ThrownCode.throwing("in-use"));

    private final SurrealClient surreal;
    private final Clock clock;

    CategoryTree(SurrealClient surreal, Clock clock) {
        this.surreal = surreal;
        this.clock = clock;
    }

    public CategoryView create(CreateCategoryRequest request) {
        Map<String, Object> vars = new HashMap<>();
        vars.put("key", Keys.newKey());
        vars.put("parent_key", request.parentId() == null ? SurrealNone.NONE : request.parentId());
        vars.put("name", request.name().strip());
        vars.put("now", clock.instant());
        try {
            return view(surreal.query(CREATE, vars).requireSuccess().firstRow(4).orElseThrow());
        } catch (SurrealStatementException e) {
            if (ThrownCode.of(e).filter("unknown-parent"::equals).isPresent()) {
                throw new InvalidInputException("parentId", "no category with this id");
            }
            throw e;
        }
    }

    public CategoryView get(String id) {
        return surreal.query("SELECT * FROM ONLY type::record('category', $key)", Map.of("key", id))
                .firstRow(0).map(CategoryTree::view)
                .orElseThrow(() -> new NotFoundException("category", id));
    }

    /** Every category, the roots first, then by depth and name. */
    public List<CategoryView> all() {
        return surreal.query("SELECT *, array::len(ancestors) AS depth FROM category ORDER BY depth, name, id")
                .rows(0).stream().map(CategoryTree::view).toList();
    }

    public CategoryView rename(String id, RenameCategoryRequest request) {
        if (!exists(id)) {
            throw new NotFoundException("category", id);
        }
        return surreal.query(RENAME, Map.of("key", id, "name", request.name().strip(), "now", clock.instant()))
                .firstRow(0).map(CategoryTree::view)
                .orElseThrow(() -> new NotFoundException("category", id));
    }

    public void delete(String id) {
        try {
            surreal.query(DELETE, Map.of("key", id)).requireSuccess();
        } catch (SurrealStatementException e) {
            switch (ThrownCode.of(e).orElse("")) {
                case "not-found" -> throw new NotFoundException("category", id);
                case "has-children" -> throw new ConflictException("Category '" + id + "' has subcategories; delete them first");
                case "in-use" -> throw new ConflictException("Category '" + id + "' still has products");
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
        Object missing = surreal.query("RETURN array::filter($ids, |$id| !record::exists($id))", Map.of("ids", records))
                .result(0);
        return ((List<?>) missing).stream().map(id -> String.valueOf(((RecordId) id).key())).toList();
    }

    private boolean exists(String id) {
        return Boolean.TRUE.equals(surreal.query("RETURN record::exists(type::record('category', $key))",
                Map.of("key", id)).result(0));
    }

    static CategoryView view(Map<String, Object> row) {
        return new CategoryView(Rows.key(row, "id"), Rows.string(row, "name"), Rows.key(row, "parent"),
                Rows.keys(row, "ancestors"), Rows.instant(row, "created_at"), Rows.instant(row, "updated_at"));
    }
}
