package io.polystore.catalog.recommendation;

import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.internal.Rows;
import io.polystore.catalog.product.internal.ProductDocuments;
import io.polystore.surrealdb.QueryResponse;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import org.springframework.stereotype.Service;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Recommendations as traversals of the product graph that confirmed orders build:
 * <ul>
 * <li>bought together: the product's {@code ->bought_together->} edges, ranked by weight (orders holding both);</li>
 * <li>customers who bought this also bought: {@code <-purchased<-customer->purchased->product}, ranked by how many
 * distinct customers lead to each product.</li>
 * </ul>
 */
@Service
public class RecommendationEngine {

    private static final String QUERY = """
            LET $product = type::record('product', $key);
            RETURN record::exists($product);
            SELECT out AS product, weight FROM $product->bought_together
                WHERE out.active = true ORDER BY weight DESC LIMIT $limit;
            RETURN array::filter($product<-purchased<-customer->purchased->product, |$other| $other != $product);
            """;

    private final SurrealClient surreal;

    RecommendationEngine(SurrealClient surreal) {
        this.surreal = surreal;
    }

    public Recommendations forProduct(String productId, int limit) {
        QueryResponse response = surreal.query(QUERY, Map.of("key", productId, "limit", limit));
        if (!Boolean.TRUE.equals(response.result(1))) {
            throw new NotFoundException("product", productId);
        }
        Map<RecordId, Long> boughtTogether = new LinkedHashMap<>();
        for (Map<String, Object> edge : response.rows(2)) {
            boughtTogether.put((RecordId) edge.get("product"), Rows.number(edge, "weight"));
        }
        // Each customer reaches a product once (one purchased edge per customer and product), so the number of
        // times a product appears in the traversal is the number of customers who bought both.
        Map<RecordId, Long> alsoBought = new LinkedHashMap<>();
        for (Object other : (List<?>) response.result(3)) {
            alsoBought.merge((RecordId) other, 1L, Long::sum);
        }
        Map<RecordId, Map<String, Object>> summaries = summaries(boughtTogether, alsoBought);
        return new Recommendations(productId, ranked(boughtTogether, summaries, limit), ranked(alsoBought, summaries, limit));
    }

    private Map<RecordId, Map<String, Object>> summaries(Map<RecordId, Long> first, Map<RecordId, Long> second) {
        List<RecordId> ids = Stream.concat(first.keySet().stream(), second.keySet().stream()).distinct().toList();
        Map<RecordId, Map<String, Object>> summaries = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return summaries;
        }
        for (Map<String, Object> row : surreal.query("SELECT id, sku, name, price FROM $ids WHERE active = true",
                Map.of("ids", ids)).rows(0)) {
            summaries.put((RecordId) row.get("id"), row);
        }
        return summaries;
    }

    private static List<Recommendation> ranked(Map<RecordId, Long> scores, Map<RecordId, Map<String, Object>> summaries,
                                               int limit) {
        return scores.entrySet().stream()
                .filter(entry -> summaries.containsKey(entry.getKey()))
                .map(entry -> new Recommendation(ProductDocuments.summary(summaries.get(entry.getKey())), entry.getValue()))
                .sorted(Comparator.comparingLong(Recommendation::score).reversed()
                        .thenComparing(r -> r.product().name()).thenComparing(r -> r.product().id()))
                .limit(limit)
                .toList();
    }
}
