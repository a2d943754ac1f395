package io.polystore.catalog.product;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.category.CategoryTree;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.CatalogVersions;
import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.product.internal.ProductDocuments;
import io.polystore.catalog.product.internal.ProductDocuments.Document;
import io.polystore.catalog.product.internal.ProductDocuments.Price;
import io.polystore.catalog.product.internal.ProductDocuments.Row;
import io.polystore.catalog.product.internal.ProductDocuments.SummaryRow;
import io.polystore.catalog.product.internal.ProductStatements;
import io.polystore.catalog.product.internal.ProductStatements.PairRow;
import io.polystore.catalog.product.internal.ProductStatements.UnpublishedPair;
import io.polystore.catalog.product.internal.SearchCursor;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ProductChanged;
import io.polystore.events.ProductState;
import io.polystore.events.RelatedProductsState;
import io.polystore.servicedefaults.problem.FieldProblem;
import io.polystore.servicedefaults.problem.InvalidInputException;
import io.polystore.surrealdb.QueryResponse;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import io.polystore.surrealdb.SurrealStatementException;
import org.springframework.stereotype.Service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Products: create, change and delete them, each change with its {@link ProductChanged} in the outbox in the same
 * transaction, and with its whole {@link ProductState} for the regions that replicate the catalog; read and search them;
 * link related products (each change of a pair a {@link RelatedProductsState}). Updates are optimistic: they name the
 * version they were based on, and a product changed meanwhile is a conflict.
 */
@Service
public class ProductCatalog {

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
        Document doc = Document.of(request.sku(), request.name(), request.description(), request.price(),
                request.attributes(), request.categoryIds(), active, 1, now, now);
        SurrealQl create = ProductStatements.create(outbox(key, doc, now, false))
                .with("key", key).with("doc", doc)
                .with("stock", request.initialStock() == null ? 0 : request.initialStock());
        commit("Creating product " + key, create, key, request.categoryIds());
        return get(key);
    }

    public ProductView update(String id, UpdateProductRequest request) {
        if (id.isBlank()) {
            // No product has a blank key, and the change event could not even name it.
            throw new NotFoundException("product", id);
        }
        checkCurrency(request.price());
        checkCategories(request.categoryIds());
        // The state the other regions replicate includes when the product was created.
        Instant createdAt = get(id).createdAt();
        Instant now = clock.instant();
        long version = request.version() + 1;
        Document doc = Document.of(request.sku(), request.name(), request.description(), request.price(),
                request.attributes(), request.categoryIds(), request.active(), version, createdAt, now);
        SurrealQl update = ProductStatements.update(outbox(id, doc, now, false))
                .with("key", id).with("expected_version", request.version()).with("doc", doc);
        commit("Updating product " + id, update, id, request.categoryIds());
        return get(id);
    }

    /** Deletes a product and its stock; refused while units of it are reserved. Publishes it as inactive. */
    public void delete(String id) {
        transactions.run("Deleting product " + id, () -> {
            ProductView current = get(id);
            Instant now = clock.instant();
            Document last = documentOf(current, current.version() + 1, now);
            try {
                surreal.query(ProductStatements.delete(outbox(id, last, now, true))
                        .with("key", id).with("expected_version", current.version())).requireSuccess();
            } catch (SurrealStatementException e) {
                if (e.thrownCode().filter(ProductStatements.RESERVED::equals).isPresent()) {
                    throw new ConflictException("Product '" + id + "' has reserved stock; it can be deleted once the "
                            + "reservations are confirmed, released or expired");
                }
                throw e;
            }
            return null;
        });
    }

    public ProductView get(String id) {
        return surreal.query(ProductStatements.GET.with("key", id)).firstRow(0, Row.class).map(Row::view)
                .orElseThrow(() -> new NotFoundException("product", id));
    }

    /** The product with its active related products (linked in either direction), by name. */
    public ProductView detail(String id) {
        QueryResponse response = surreal.query(ProductStatements.DETAIL.with("key", id));
        ProductView product = response.firstRow(1, Row.class).map(Row::view)
                .orElseThrow(() -> new NotFoundException("product", id));
        List<ProductSummary> related = response.rows(2, SummaryRow.class).stream().map(SummaryRow::summary)
                .sorted(Comparator.comparing(ProductSummary::name).thenComparing(ProductSummary::id)).toList();
        return product.withRelated(related);
    }

    /** The active ones among these products, by id; inactive and unknown ones are left out. */
    public Map<String, ProductSummary> activeSummaries(Collection<String> ids) {
        Map<String, ProductSummary> summaries = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return summaries;
        }
        List<RecordId> records = ids.stream().map(id -> RecordId.of("product", id)).toList();
        for (SummaryRow row : surreal.query(ProductStatements.SUMMARIES.with("ids", records)).rows(0, SummaryRow.class)) {
            ProductSummary summary = row.summary();
            summaries.put(summary.id(), summary);
        }
        return summaries;
    }

    public ProductPage search(ProductSearch search) {
        int limit = Math.min(search.limit() <= 0 ? properties.search().defaultPageSize() : search.limit(),
                properties.search().maxPageSize());
        if (search.minPrice() != null && search.maxPrice() != null && search.minPrice().compareTo(search.maxPrice()) > 0) {
            throw new InvalidInputException("minPrice", "must not be above maxPrice");
        }
        SearchCursor after = search.cursor() == null ? null : SearchCursor.decode(search.cursor(), search.sort());
        QueryResponse response = surreal.query(ProductStatements.search(search, after, limit));
        List<ProductView> found = response.rows(response.size() - 1, Row.class).stream().map(Row::view).toList();
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
        try {
            changePair("Relating products " + id + " and " + otherId, id, otherId, true);
        } catch (SurrealStatementException e) {
            if (e.thrownCode().filter(ProductStatements.NOT_FOUND::equals).isPresent()) {
                throw new NotFoundException("product", id + "' or '" + otherId);
            }
            throw e;
        }
    }

    /** Unlinks two related products; unlinking a pair that is not linked (one with no such product too) changes nothing. */
    public void unrelate(String id, String otherId) {
        get(id);
        // A blank id names no product, so no pair: nothing to unlink, and no replication key to give it.
        if (!id.equals(otherId) && !otherId.isBlank()) {
            changePair("Unrelating products " + id + " and " + otherId, id, otherId, false);
        }
    }

    /**
     * Links or unlinks a pair of products, unless it already is so; the pair's next version goes to the other regions.
     * The pair is read first, and the transaction throws {@code stale} if it changed meanwhile.
     */
    private void changePair(String what, String id, String otherId, boolean link) {
        String replicationKey = RelatedProductsState.keyOf(id, otherId);
        transactions.run(what, () -> {
            PairRow pair = surreal.query(ProductStatements.READ_PAIR.with("a_key", id).with("b_key", otherId)
                    .with("replication_key", replicationKey)).result(ProductStatements.PAIR, PairRow.class);
            if (pair.linked() == link) {
                return null;
            }
            Instant now = clock.instant();
            RelatedProductsState state = new RelatedProductsState(id, otherId, pair.version() + 1, link, now);
            SurrealQl outboxed = CatalogVersions.record(replicationKey, state.version(), now)
                    .then(outbox.statements(List.of(state)));
            surreal.query((link ? ProductStatements.relate(outboxed) : ProductStatements.unrelate(outboxed))
                    .with("a_key", id).with("b_key", otherId).with("observed", pair).with("now", now)).requireSuccess();
            return null;
        });
    }

    /** Runs a product transaction, again after a conflict with a concurrent one (which then decides the outcome). */
    private void commit(String what, SurrealQl transaction, String id, List<String> categoryIds) {
        try {
            transactions.run(what, () -> surreal.query(transaction).requireSuccess());
        } catch (SurrealStatementException e) {
            throw translated(e, id, categoryIds);
        }
    }

    private RuntimeException translated(SurrealStatementException e, String id, List<String> categoryIds) {
        return switch (e.thrownCode().orElse("")) {
            case ProductStatements.NOT_FOUND -> new NotFoundException("product", id);
            case ProductStatements.VERSION_CONFLICT -> new ConflictException("Product '" + id
                    + "' was changed by someone else since the version this update is based on; reload it and try again");
            case ProductStatements.SKU_TAKEN -> new ConflictException("Another product already has this SKU");
            case ProductStatements.UNKNOWN_CATEGORY -> unknownCategories(categoryIds);
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

    /**
     * Publishes the state of products and related pairs that never had one (made before the catalog was replicated
     * between regions), at most {@code batch} of each, so that the replication topic holds the whole catalog. A product
     * or pair changed meanwhile is left: its change published it. Returns how many states it published.
     */
    public int publishUnpublishedStates(int batch) {
        int published = 0;
        for (Row row : surreal.query(ProductStatements.UNPUBLISHED.with("limit", batch)).rows(0, Row.class)) {
            ProductView product = row.view();
            ProductState state = state(product.id(), documentOf(product, product.version(), product.updatedAt()), false);
            published += publishedOnce(ProductStatements.publishUnpublished(recorded(state, state.version(), clock.instant()))
                    .with("key", product.id()).with("expected_version", product.version()));
        }
        for (UnpublishedPair pair : surreal.query(ProductStatements.UNPUBLISHED_PAIRS.with("limit", batch))
                .rows(0, UnpublishedPair.class)) {
            RelatedProductsState state = new RelatedProductsState(pair.aKey(), pair.bKey(), 1, true, pair.createdAt());
            published += publishedOnce(ProductStatements.publishUnpublishedPair(recorded(state, 1, clock.instant()))
                    .with("a_key", pair.aKey()).with("b_key", pair.bKey()).with("observed", new PairRow(true, 0)));
        }
        return published;
    }

    /** 1 if the transaction published, 0 if what it publishes changed meanwhile. */
    private int publishedOnce(SurrealQl transaction) {
        try {
            surreal.query(transaction).requireSuccess();
            return 1;
        } catch (SurrealStatementException e) {
            if (e.isRetryable() || e.thrownCode().filter(CatalogTransactions.STALE::equals).isPresent()) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * The statements after a product's change: its replication version recorded, then into the outbox its
     * {@link ProductChanged} (for this region's order service) and its whole {@link ProductState} (for the other regions).
     */
    private SurrealQl outbox(String key, Document doc, Instant now, boolean deleted) {
        ProductState state = state(key, doc, deleted);
        ProductChanged changed = new ProductChanged(key, doc.sku(), doc.name(), state.price(), doc.active() && !deleted,
                doc.version(), now);
        return CatalogVersions.record(state.aggregateId(), state.version(), now)
                .then(outbox.statements(List.of(changed, state)));
    }

    /** The replication version of a state recorded, and the state into the outbox. */
    private SurrealQl recorded(PolystoreEvent state, long version, Instant now) {
        return CatalogVersions.record(state.aggregateId(), version, now).then(outbox.statements(List.of(state)));
    }

    private static ProductState state(String key, Document doc, boolean deleted) {
        return new ProductState(key, doc.version(), deleted, doc.sku(), doc.name(), doc.description(),
                doc.price().money(), doc.attributes(), doc.categories().stream().map(Keys::of).toList(), doc.active(),
                doc.createdAt(), doc.updatedAt());
    }

    /** The product as read, in another version. */
    private static Document documentOf(ProductView product, long version, Instant updatedAt) {
        return new Document(product.sku(), product.name(), product.description(),
                new Price(product.price().amount(), product.price().currency()), product.attributes(),
                product.categoryIds().stream().map(category -> RecordId.of("category", category)).toList(),
                product.active(), version, product.createdAt(), updatedAt);
    }
}
