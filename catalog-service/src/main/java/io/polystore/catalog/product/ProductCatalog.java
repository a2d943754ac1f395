package io.polystore.catalog.product;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.category.CategoryTree;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.InvalidInputException;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.internal.ThrownCode;
import io.polystore.catalog.product.internal.ProductDocuments;
import io.polystore.catalog.product.internal.SearchCursor;
import io.polystore.events.Money;
import io.polystore.events.ProductChanged;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler.FieldProblem;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Products: create, change and delete them, each change with its {@link ProductChanged} in the outbox in the same
 * transaction; read and search them; link related products. Updates are optimistic: they name the version they
 * were based on, and a product changed meanwhile is a conflict.
 */
@Service
public class ProductCatalog {

    private static final String CHECK_SKU_AND_CATEGORIES = """
            IF count(SELECT id FROM product WHERE sku = $doc.sku AND id != $product LIMIT 1) > 0 { %s };
            IF array::len(array::filter($doc.categories, |$c| !record::exists($c))) > 0 { %s };
            """.formatted(ThrownCode.throwing("sku-taken"), ThrownCode.throwing("unknown-category"));

    private static final String CREATE = """
            BEGIN TRANSACTION;
            LET $product = type::record('product', $key);
            %s
            CREATE ONLY $product CONTENT $doc;
            CREATE ONLY type::record('inventory', $key) CONTENT {
                product: $product, available: $stock, reserved: 0, sold: 0, updated_at: $doc.updated_at
            };
            %%s
            COMMIT TRANSACTION;
            """.formatted(CHECK_SKU_AND_CATEGORIES);

    private static final String UPDATE = """
            BEGIN TRANSACTION;
            LET $product = type::record('product', $key);
            LET $current_version = $product.version;
            IF !record::exists($product) { %s };
            IF $current_version != $expected_version { %s };
            %s
            UPDATE ONLY $product SET sku = $doc.sku, name = $doc.name, description = $doc.description,
                price = $doc.price, attributes = $doc.attributes, categories = $doc.categories, active = $doc.active,
                version = $doc.version, updated_at = $doc.updated_at;
            %%s
            COMMIT TRANSACTION;
            """.formatted(ThrownCode.throwing("not-found"), ThrownCode.throwing("version-conflict"),
            CHECK_SKU_AND_CATEGORIES);

    private static final String DELETE = """
            BEGIN TRANSACTION;
            LET $product = type::record('product', $key);
            LET $current_version = $product.version;
            LET $reserved = type::record('inventory', $key).reserved ?? 0;
            IF $current_version != $expected_version { %s };
            IF $reserved > 0 { %s };
            DELETE $product;
            DELETE type::record('inventory', $key);
            %%s
            COMMIT TRANSACTION;
            """.formatted(ThrownCode.throwing(ThrownCode.STALE), ThrownCode.throwing("reserved"));

    private static final String DETAIL = """
            LET $product = type::record('product', $key);
            SELECT * FROM ONLY $product;
            SELECT id, sku, name, price FROM array::distinct(array::concat($product->related_to->product,
                $product<-related_to<-product)) WHERE active = true;
            """;

    private final SurrealClient surreal;
    private final SurrealOutboxWriter outbox;
    private final CategoryTree categories;
    private final CatalogTransactions transactions;
    private final CatalogProperties properties;
    private final Clock clock;

    ProductCatalog(SurrealClient surreal, SurrealOutboxWriter outbox, CategoryTree categories, CatalogTransactions transactions,
                   CatalogProperties properties, Clock clock) {
        this.surreal = surreal;
        this.outbox = outbox;
        this.categories = categories;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    public ProductView create(CreateProductRequest request) {
        checkCurrency(request.price());
        checkCategories(request.categoryIds());
        String key = Keys.newKey();
        Instant now = clock.instant();
        boolean active = request.active() == null || request.active();
        Map<String, Object> doc = ProductDocuments.document(request.sku(), request.name(), request.description(),
                request.price(), request.attributes(), request.categoryIds(), active, 1, now, now);
        Map<String, Object> vars = new HashMap<>();
        vars.put("key", key);
        vars.put("doc", doc);
        vars.put("stock", request.initialStock() == null ? 0 : request.initialStock());
        ProductChanged changed = changed(key, request.sku(), request.name(), request.price(), active, 1, now);
        String sql = CREATE.formatted(outbox.statements(List.of(changed), vars));
        commit("Creating product " + key, sql, vars, key, request.categoryIds());
        return get(key);
    }

    public ProductView update(String id, UpdateProductRequest request) {
        checkCurrency(request.price());
        checkCategories(request.categoryIds());
        Instant now = clock.instant();
        long version = request.version() + 1;
        Map<String, Object> vars = new HashMap<>();
        vars.put("key", id);
        vars.put("expected_version", request.version());
        vars.put("doc", ProductDocuments.document(request.sku(), request.name(), request.description(), request.price(),
                request.attributes(), request.categoryIds(), request.active(), version, null, now));
        ProductChanged changed = changed(id, request.sku(), request.name(), request.price(), request.active(), version, now);
        String sql = UPDATE.formatted(outbox.statements(List.of(changed), vars));
        commit("Updating product " + id, sql, vars, id, request.categoryIds());
        return get(id);
    }

    /** Deletes a product and its stock; refused while units of it are reserved. Publishes it as inactive. */
    public void delete(String id) {
        transactions.run("Deleting product " + id, () -> {
            ProductView current = get(id);
            long version = current.version() + 1;
            Map<String, Object> vars = new HashMap<>();
            vars.put("key", id);
            vars.put("expected_version", current.version());
            ProductChanged changed = new ProductChanged(id, current.sku(), current.name(), current.price(), false,
                    version, clock.instant());
            try {
                surreal.query(DELETE.formatted(outbox.statements(List.of(changed), vars)), vars).requireSuccess();
            } catch (SurrealStatementException e) {
                if (ThrownCode.of(e).filter("reserved"::equals).isPresent()) {
                    throw new ConflictException("Product '" + id + "' has reserved stock; it can be deleted once the "
                            + "reservations are confirmed, released or expired");
                }
                throw e;
            }
            return null;
        });
    }

    public ProductView get(String id) {
        return surreal.query("SELECT * FROM ONLY type::record('product', $key)", Map.of("key", id))
                .firstRow(0).map(ProductDocuments::view)
                .orElseThrow(() -> new NotFoundException("product", id));
    }

    /** The product with its active related products (linked in either direction), by name. */
    public ProductView detail(String id) {
        var response = surreal.query(DETAIL, Map.of("key", id));
        ProductView product = response.firstRow(1).map(ProductDocuments::view)
                .orElseThrow(() -> new NotFoundException("product", id));
        List<ProductSummary> related = response.rows(2).stream().map(ProductDocuments::summary)
                .sorted(Comparator.comparing(ProductSummary::name).thenComparing(ProductSummary::id)).toList();
        return product.withRelated(related);
    }

    public ProductPage search(ProductSearch search) {
        int limit = Math.min(search.limit() <= 0 ? properties.search().defaultPageSize() : search.limit(),
                properties.search().maxPageSize());
        if (search.minPrice() != null && search.maxPrice() != null && search.minPrice().compareTo(search.maxPrice()) > 0) {
            throw new InvalidInputException("minPrice", "must not be above maxPrice");
        }
        Map<String, Object> vars = new HashMap<>();
        List<String> conditions = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        if (!search.includeInactive()) {
            conditions.add("active = true");
        }
        if (search.text() != null && !search.text().isBlank()) {
            vars.put("text", search.text().strip().toLowerCase(Locale.ROOT));
            conditions.add("(string::contains(string::lowercase(name), $text) OR string::contains(string::lowercase(description), $text)"
                    + " OR string::contains(string::lowercase(sku), $text))");
        }
        if (search.categoryId() != null) {
            vars.put("category", RecordId.of("category", search.categoryId()));
            sql.append("LET $categories = SELECT VALUE id FROM category WHERE id = $category OR ancestors CONTAINS $category;\n");
            conditions.add("categories ANYINSIDE $categories");
        }
        if (search.minPrice() != null) {
            vars.put("min_price", search.minPrice());
            conditions.add("price.amount >= $min_price");
        }
        if (search.maxPrice() != null) {
            vars.put("max_price", search.maxPrice());
            conditions.add("price.amount <= $max_price");
        }
        if (search.currency() != null) {
            vars.put("currency", search.currency());
            conditions.add("price.currency = $currency");
        }
        int attribute = 0;
        for (Map.Entry<String, String> entry : search.attributes().entrySet()) {
            vars.put("attribute_name_" + attribute, entry.getKey());
            vars.put("attribute_value_" + attribute, entry.getValue());
            conditions.add("<string> attributes[$attribute_name_%1$d] = $attribute_value_%1$d".formatted(attribute));
            attribute++;
        }
        String sortField = search.sort() == ProductSearch.Sort.PRICE ? "price.amount" : "name";
        if (search.cursor() != null) {
            SearchCursor after = SearchCursor.decode(search.cursor(), search.sort());
            vars.put("after_value", search.sort() == ProductSearch.Sort.PRICE ? after.price() : after.name());
            vars.put("after_id", RecordId.of("product", after.id()));
            conditions.add("(" + sortField + " > $after_value OR (" + sortField + " = $after_value AND id > $after_id))");
        }
        vars.put("limit", limit + 1);
        sql.append("SELECT * FROM product");
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        sql.append(" ORDER BY ").append(sortField).append(", id LIMIT $limit;");

        var response = surreal.query(sql.toString(), vars);
        List<ProductView> found = response.rows(response.size() - 1).stream().map(ProductDocuments::view).toList();
        if (found.size() <= limit) {
            return new ProductPage(found, null);
        }
        List<ProductView> page = found.subList(0, limit);
        ProductView last = page.getLast();
        SearchCursor next = new SearchCursor(search.sort(), last.name(), last.price().amount(), last.id());
        return new ProductPage(page, next.encode());
    }

    /** Links two products as related (both ways); linking again changes nothing. */
    public void relate(String id, String otherId) {
        if (id.equals(otherId)) {
            throw new InvalidInputException("relatedId", "a product cannot be related to itself");
        }
        get(id);
        get(otherId);
        surreal.query("""
                LET $a = type::record('product', $a_key);
                LET $b = type::record('product', $b_key);
                IF count(SELECT id FROM related_to WHERE (in = $a AND out = $b) OR (in = $b AND out = $a)) = 0 {
                    RELATE $a->related_to->$b SET created_at = $now;
                };
                """, Map.of("a_key", id, "b_key", otherId, "now", clock.instant())).requireSuccess();
    }

    public void unrelate(String id, String otherId) {
        get(id);
        surreal.query("""
                LET $a = type::record('product', $a_key);
                LET $b = type::record('product', $b_key);
                DELETE related_to WHERE (in = $a AND out = $b) OR (in = $b AND out = $a);
                """, Map.of("a_key", id, "b_key", otherId)).requireSuccess();
    }

    /** Runs a product transaction, again after a conflict with a concurrent one (which then decides the outcome). */
    private void commit(String what, String sql, Map<String, Object> vars, String id, List<String> categoryIds) {
        try {
            transactions.run(what, () -> surreal.query(sql, vars).requireSuccess());
        } catch (SurrealStatementException e) {
            throw translated(e, id, categoryIds);
        }
    }

    private RuntimeException translated(SurrealStatementException e, String id, List<String> categoryIds) {
        return switch (ThrownCode.of(e).orElse("")) {
            case "not-found" -> new NotFoundException("product", id);
            case "version-conflict" -> new ConflictException("Product '" + id
                    + "' was changed by someone else since the version this update is based on; reload it and try again");
            case "sku-taken" -> new ConflictException("Another product already has this SKU");
            case "unknown-category" -> unknownCategories(categoryIds);
            default -> e.getMessage() != null && e.getMessage().contains("product_sku")
                    ? new ConflictException("Another product already has this SKU")
                    : e;
        };
    }

    private void checkCategories(List<String> categoryIds) {
        if (categoryIds != null && !categoryIds.isEmpty() && !categories.missing(categoryIds).isEmpty()) {
            throw unknownCategories(categoryIds);
        }
    }

    private InvalidInputException unknownCategories(List<String> categoryIds) {
        List<String> missing = categoryIds == null ? List.of() : categories.missing(categoryIds);
        List<FieldProblem> problems = new ArrayList<>();
        for (int i = 0; categoryIds != null && i < categoryIds.size(); i++) {
            if (missing.contains(categoryIds.get(i))) {
                problems.add(new FieldProblem("categoryIds[" + i + "]", "no category with this id"));
            }
        }
        return problems.isEmpty()
                ? new InvalidInputException("categoryIds", "refers to a category that was deleted meanwhile")
                : new InvalidInputException(problems);
    }

    private static void checkCurrency(PriceRequest price) {
        try {
            Currency.getInstance(price.currency());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("price.currency", "not an ISO 4217 currency");
        }
    }

    private static ProductChanged changed(String id, String sku, String name, PriceRequest price, boolean active,
                                          long version, Instant at) {
        BigDecimal amount = ProductDocuments.withMinorDigits(price.amount(), price.currency());
        return new ProductChanged(id, sku, name, new Money(amount, price.currency()), active, version, at);
    }
}
