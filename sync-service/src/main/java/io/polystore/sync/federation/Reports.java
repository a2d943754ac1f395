package io.polystore.sync.federation;

import io.polystore.servicedefaults.problem.InvalidInputException;
import org.jspecify.annotations.Nullable;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

/**
 * The named reports: federated SQL written here, each joining order-service's orders (aggregated inside PostgreSQL)
 * with the catalog (read from SurrealDB). Orders count when CONFIRMED; amounts are in the orders' currency.
 */
public class Reports {

    /** Sales per product in the period, then each product's categories with all their ancestors: the roll-up. */
    static final String REVENUE_BY_CATEGORY = """
            WITH sales AS (
                SELECT l.product_id, o.currency, SUM(l.line_total) AS revenue, SUM(l.quantity) AS units
                FROM orders.order_line l JOIN orders.customer_order o ON o.id = l.order_id
                WHERE o.status = 'CONFIRMED' AND o.placed_at >= CAST(? AS TIMESTAMP) AND o.placed_at < CAST(? AS TIMESTAMP)
                GROUP BY l.product_id, o.currency),
            rolled_up AS (
                SELECT DISTINCT pc.product_id, lineage.ancestor_id AS category_id
                FROM catalog.product_category pc
                JOIN catalog.category_lineage lineage ON lineage.category_id = pc.category_id)
            SELECT c.id, c.name, c.parent_id, s.currency, SUM(s.revenue) AS revenue, SUM(s.units) AS units
            FROM sales s
            JOIN rolled_up r ON r.product_id = s.product_id
            JOIN catalog.category c ON c.id = r.category_id
            GROUP BY c.id, c.name, c.parent_id, s.currency
            ORDER BY revenue DESC, c.id, s.currency
            LIMIT ? OFFSET ?""";

    /** The page is cut inside PostgreSQL (top-N there), then joined with the catalog. */
    static final String TOP_PRODUCTS = """
            SELECT s.product_id, p.sku, p.name, s.currency, s.units, s.revenue, i.available, i.reserved
            FROM (SELECT l.product_id, o.currency, SUM(l.quantity) AS units, SUM(l.line_total) AS revenue
                  FROM orders.order_line l JOIN orders.customer_order o ON o.id = l.order_id
                  WHERE o.status = 'CONFIRMED' AND o.placed_at >= CAST(? AS TIMESTAMP) AND o.placed_at < CAST(? AS TIMESTAMP)
                  GROUP BY l.product_id, o.currency
                  ORDER BY units DESC, l.product_id, o.currency
                  LIMIT ? OFFSET ?) s
            LEFT JOIN catalog.product p ON p.id = s.product_id
            LEFT JOIN catalog.inventory i ON i.product_id = s.product_id
            ORDER BY s.units DESC, s.product_id, s.currency""";

    /** Other products in the CONFIRMED orders that hold the product, by the number of such orders; cut in PostgreSQL. */
    static final String BOUGHT_TOGETHER = """
            SELECT t.product_id, p.name, p.price_amount, p.currency, p.active, i.available, t.orders, t.units
            FROM (SELECT other.product_id, COUNT(DISTINCT other.order_id) AS orders, SUM(other.quantity) AS units
                  FROM orders.order_line bought
                  JOIN orders.order_line other ON other.order_id = bought.order_id AND other.product_id <> bought.product_id
                  JOIN orders.customer_order o ON o.id = bought.order_id
                  WHERE bought.product_id = ? AND o.status = 'CONFIRMED'
                  GROUP BY other.product_id
                  ORDER BY orders DESC, units DESC, other.product_id
                  LIMIT ? OFFSET ?) t
            LEFT JOIN catalog.product p ON p.id = t.product_id
            LEFT JOIN catalog.inventory i ON i.product_id = t.product_id
            ORDER BY t.orders DESC, t.units DESC, t.product_id""";

    private final FederatedQueries queries;

    public Reports(FederatedQueries queries) {
        this.queries = queries;
    }

    public ReportPage<CategoryRevenue> revenueByCategory(Instant from, Instant to, int offset, int limit) {
        requirePeriod(from, to);
        return page(REVENUE_BY_CATEGORY, List.of(sqlTimestamp(from), sqlTimestamp(to)), offset, limit,
                row -> new CategoryRevenue((String) row.get(0), (String) row.get(1), (String) row.get(2),
                        (String) row.get(3), (BigDecimal) row.get(4), number(row.get(5))));
    }

    public ReportPage<ProductSales> topProducts(Instant from, Instant to, int offset, int limit) {
        requirePeriod(from, to);
        return page(TOP_PRODUCTS, List.of(sqlTimestamp(from), sqlTimestamp(to)), offset, limit,
                row -> new ProductSales((String) row.get(0), (String) row.get(1), (String) row.get(2),
                        (String) row.get(3), number(row.get(4)), (BigDecimal) row.get(5), number(row.get(6)),
                        number(row.get(7))));
    }

    public ReportPage<BoughtTogether> boughtTogether(String productId, int offset, int limit) {
        return page(BOUGHT_TOGETHER, List.of(productId), offset, limit,
                row -> new BoughtTogether((String) row.get(0), (String) row.get(1), (BigDecimal) row.get(2),
                        (String) row.get(3), (Boolean) row.get(4), number(row.get(5)), number(row.get(6)),
                        number(row.get(7))));
    }

    private <T> ReportPage<T> page(String sql, List<Object> parameters, int offset, int limit,
                                   Function<List<Object>, T> item) {
        List<Object> all = new java.util.ArrayList<>(parameters);
        all.add(limit + 1);
        all.add(offset);
        QueryResult result = queries.query(sql, all, limit + 1);
        List<T> items = result.rows().stream().limit(limit).map(item).toList();
        Integer next = result.rows().size() > limit ? offset + limit : null;
        return new ReportPage<>(items, offset, limit, next, queries.freshness());
    }

    private static void requirePeriod(Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new InvalidInputException("to", "must be after from");
        }
    }

    /**
     * A period bound as SQL's TIMESTAMP text in UTC: Calcite hands a TIMESTAMP parameter to PostgreSQL as epoch
     * milliseconds, which PostgreSQL cannot compare with a {@code timestamptz}; text cast there works.
     */
    private static String sqlTimestamp(Instant instant) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                .withZone(java.time.ZoneOffset.UTC).format(instant);
    }

    private static Long number(Object value) {
        return value == null ? null : ((Number) value).longValue();
    }

    /** @param parentId null for a top-level category */
    public record CategoryRevenue(String categoryId, String name, @Nullable String parentId, String currency,
                                  BigDecimal revenue, Long units) {
    }

    /**
     * @param sku       null, as {@code name}, when the catalog no longer has the product
     * @param available units in stock now (null when the catalog has no inventory for it)
     */
    public record ProductSales(String productId, @Nullable String sku, @Nullable String name, String currency,
                               Long unitsSold, BigDecimal revenue, @Nullable Long available, @Nullable Long reserved) {
    }

    /** @param orders CONFIRMED orders holding both products; the catalog's fields are null when it lacks the product */
    public record BoughtTogether(String productId, @Nullable String name, @Nullable BigDecimal price,
                                 @Nullable String currency, @Nullable Boolean active, @Nullable Long available,
                                 Long orders, Long units) {
    }
}
