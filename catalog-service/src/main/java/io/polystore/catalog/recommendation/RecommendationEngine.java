package io.polystore.catalog.recommendation;

import io.polystore.catalog.internal.Keys;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.catalog.product.ProductSummary;
import io.polystore.surrealdb.QueryResponse;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealQl;
import org.springframework.stereotype.Service;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Recommendations as traversals of the product graph that confirmed orders build:
 * <ul>
 * <li>bought together: the product's {@code ->bought_together->} edges, ranked by weight (orders holding both);</li>
 * <li>customers who bought this also bought: {@code <-purchased<-customer->purchased->product}, ranked by how many
 * distinct customers lead to each product.</li>
 * </ul>
 * Only active products are recommended; the product feature says which are.
 */
@Service
public class RecommendationEngine {

    /** Statement 1: whether the product exists; 2: its bought-together edges; 3: what its buyers also bought. */
    private static final SurrealQl TRAVERSALS = SurrealQl.of("""
            LET $product = type::record('product', $key);
            RETURN record::exists($product);
            SELECT out AS product, weight FROM $product->bought_together
                WHERE out.active = true ORDER BY weight DESC LIMIT $limit;
            RETURN { products: array::filter($product<-purchased<-customer->purchased->product, |$other| $other != $product) };
            """);

    private record BoughtTogether(RecordId product, long weight) {
    }

    private record AlsoBought(List<RecordId> products) {
    }

    private final SurrealClient surreal;
    private final ProductCatalog products;

    RecommendationEngine(SurrealClient surreal, ProductCatalog products) {
        this.surreal = surreal;
        this.products = products;
    }

    public Recommendations forProduct(String productId, int limit) {
        QueryResponse response = surreal.query(TRAVERSALS.with("key", productId).with("limit", limit));
        if (!Boolean.TRUE.equals(response.result(1))) {
            throw new NotFoundException("product", productId);
        }
        Map<String, Long> boughtTogether = new LinkedHashMap<>();
        for (BoughtTogether edge : response.rows(2, BoughtTogether.class)) {
            boughtTogether.put(Keys.of(edge.product()), edge.weight());
        }
        // Each customer reaches a product once (one purchased edge per customer and product), so the number of
        // times a product appears in the traversal is the number of customers who bought both.
        Map<String, Long> alsoBought = new LinkedHashMap<>();
        for (RecordId other : response.result(3, AlsoBought.class).products()) {
            alsoBought.merge(Keys.of(other), 1L, Long::sum);
        }
        Set<String> ids = Stream.concat(boughtTogether.keySet().stream(), alsoBought.keySet().stream())
                .collect(Collectors.toSet());
        Map<String, ProductSummary> summaries = products.activeSummaries(ids);
        return new Recommendations(productId, ranked(boughtTogether, summaries, limit), ranked(alsoBought, summaries, limit));
    }

    private static List<Recommendation> ranked(Map<String, Long> scores, Map<String, ProductSummary> summaries, int limit) {
        return scores.entrySet().stream()
                .filter(entry -> summaries.containsKey(entry.getKey()))
                .map(entry -> new Recommendation(summaries.get(entry.getKey()), entry.getValue()))
                .sorted(Comparator.comparingLong(Recommendation::score).reversed()
                        .thenComparing(r -> r.product().name()).thenComparing(r -> r.product().id()))
                .limit(limit)
                .toList();
    }
}
