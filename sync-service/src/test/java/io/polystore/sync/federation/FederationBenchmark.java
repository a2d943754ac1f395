package io.polystore.sync.federation;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each report through the federation against the same answer from hand-written code: one parameterised query per
 * store (PostgreSQL as the read-only role through a pool; SurrealDB as the viewer, one request), joined in Java.
 * Same data, same run, one caller, after a warm-up. Prints throughput and median per report and their ratio.
 * Not part of {@code verify} (failsafe runs only {@code *IT}); the command is in the README.
 */
@SyncServiceTest
class FederationBenchmark {

    private static final int WARMUP = Integer.getInteger("benchmark.warmup", 30);
    private static final int RUNS = Integer.getInteger("benchmark.runs", 200);
    private static final Instant FROM = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2021-01-01T00:00:00Z");
    private static final int PAGE = 20;

    @Autowired Reports reports;
    @Autowired FederationProperties properties;

    @Test
    void reportsThroughTheFederationAgainstHandWrittenCode() throws Exception {
        FederationData.seed();
        var postgres = SharedServers.postgres();
        var surreal = SharedServers.surrealDb();
        try (HikariDataSource pool = new HikariDataSource();
             SurrealClient catalog = new SurrealClient(new HttpRpcTransport(HttpRpcSettings.of(URI.create(surreal.url()),
                     SourceStores.SURREAL_NAMESPACE, SourceStores.SURREAL_CATALOG_DATABASE, properties.surrealdb().username(),
                     properties.surrealdb().password()).withUserOn(SourceStores.SURREAL_NAMESPACE,
                     SourceStores.SURREAL_CATALOG_DATABASE), new SimpleMeterRegistry()))) {
            pool.setJdbcUrl(postgres.jdbcUrl(SourceStores.ORDERS_DATABASE));
            pool.setUsername(properties.postgres().role());
            pool.setPassword(properties.postgres().password());
            pool.setMaximumPoolSize(2);
            HandWritten hand = new HandWritten(JdbcClient.create(pool), catalog);

            assertThat(names(reports.revenueByCategory(FROM, TO, 0, PAGE).items()))
                    .isEqualTo(hand.revenueByCategory().stream().map(row -> row.categoryId() + "=" + row.revenue().stripTrailingZeros().toPlainString()).toList());
            assertThat(reports.topProducts(FROM, TO, 0, PAGE).items().stream().map(Reports.ProductSales::productId).toList())
                    .isEqualTo(hand.topProducts());
            assertThat(reports.boughtTogether("fed-laptop", 0, PAGE).items().stream().map(Reports.BoughtTogether::productId).toList())
                    .isEqualTo(hand.boughtTogether("fed-laptop"));

            StringBuilder table = new StringBuilder("| report | federation ops/s | p50 ms | hand-written ops/s | p50 ms | ratio |\n"
                    + "| --- | --- | --- | --- | --- | --- |\n");
            table.append(compare("revenue by category", () -> reports.revenueByCategory(FROM, TO, 0, PAGE), hand::revenueByCategory));
            table.append(compare("top products", () -> reports.topProducts(FROM, TO, 0, PAGE), hand::topProducts));
            table.append(compare("bought together", () -> reports.boughtTogether("fed-laptop", 0, PAGE),
                    () -> hand.boughtTogether("fed-laptop")));
            String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
            System.out.println("\nFederationBenchmark (" + RUNS + " runs each after " + WARMUP + ", load average " + load + ")\n" + table);
        }
    }

    /** The federation's own cost in a JVM with sync-service's local heap: see {@code FederationFootprint}. */
    @Test
    void footprintInAJvmOfItsOwn() throws Exception {
        FederationData.seed();
        var postgres = SharedServers.postgres();
        var surreal = SharedServers.surrealDb();
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.polystore.sync.federation.internal.FederationFootprint",
                postgres.jdbcUrl(SourceStores.ORDERS_DATABASE), properties.postgres().role(), properties.postgres().password(),
                surreal.url(), SourceStores.SURREAL_NAMESPACE, SourceStores.SURREAL_CATALOG_DATABASE,
                properties.surrealdb().username(), properties.surrealdb().password(), Reports.REVENUE_BY_CATEGORY)
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes());
        assertThat(child.waitFor()).as(output).isZero();
        output.lines().filter(line -> line.startsWith("FOOTPRINT")).forEach(line -> System.out.println("\n" + line
                + " (load average " + load() + ")"));
        assertThat(output).contains("FOOTPRINT");
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static List<String> names(List<Reports.CategoryRevenue> rows) {
        return rows.stream().map(row -> row.categoryId() + "=" + row.revenue().stripTrailingZeros().toPlainString()).toList();
    }

    private static String compare(String report, Supplier<?> federation, Supplier<?> handWritten) {
        double[] federated = time(federation);
        double[] hand = time(handWritten);
        double federatedRate = RUNS / (Arrays.stream(federated).sum() / 1000);
        double handRate = RUNS / (Arrays.stream(hand).sum() / 1000);
        return "| %s | %.0f | %.1f | %.0f | %.1f | %.2f |%n".formatted(report, federatedRate, median(federated),
                handRate, median(hand), federatedRate / handRate);
    }

    private static double[] time(Supplier<?> call) {
        for (int i = 0; i < WARMUP; i++) {
            call.get();
        }
        double[] millis = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            long started = System.nanoTime();
            call.get();
            millis[i] = (System.nanoTime() - started) / 1e6;
        }
        return millis;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    /** The reports as an application would write them without the federation. */
    private record HandWritten(JdbcClient orders, SurrealClient catalog) {

        List<Reports.CategoryRevenue> revenueByCategory() {
            Map<String, BigDecimal> revenue = new HashMap<>();
            Map<String, Long> units = new HashMap<>();
            orders.sql("""
                            SELECT l.product_id, SUM(l.line_total) AS revenue, SUM(l.quantity) AS units
                            FROM order_line l JOIN customer_order o ON o.id = l.order_id
                            WHERE o.status = 'CONFIRMED' AND o.placed_at >= ? AND o.placed_at < ?
                            GROUP BY l.product_id""")
                    .params(Timestamp.from(FROM), Timestamp.from(TO))
                    .query((row, n) -> {
                        revenue.put(row.getString(1), row.getBigDecimal(2));
                        units.put(row.getString(1), row.getLong(3));
                        return null;
                    }).list();
            var response = catalog.query("""
                            SELECT record::id(id) AS id, array::map(categories, |$c| record::id($c)) AS categories
                                FROM product WHERE id IN $products;
                            SELECT record::id(id) AS id, name, (IF parent THEN record::id(parent) END) AS parent,
                                array::map(ancestors, |$c| record::id($c)) AS ancestors FROM category""",
                    Map.of("products", revenue.keySet().stream().map(id -> RecordId.of("product", id)).toList()));
            Map<String, Map<String, Object>> categories = new HashMap<>();
            response.rows(1).forEach(row -> categories.put((String) row.get("id"), row));
            Map<String, BigDecimal> categoryRevenue = new HashMap<>();
            Map<String, Long> categoryUnits = new HashMap<>();
            for (Map<String, Object> product : response.rows(0)) {
                Set<String> rolledUp = new HashSet<>();
                for (Object category : (List<?>) product.get("categories")) {
                    rolledUp.add((String) category);
                    for (Object ancestor : (List<?>) categories.get(category).get("ancestors")) {
                        rolledUp.add((String) ancestor);
                    }
                }
                String id = (String) product.get("id");
                for (String category : rolledUp) {
                    categoryRevenue.merge(category, revenue.get(id), BigDecimal::add);
                    categoryUnits.merge(category, units.get(id), Long::sum);
                }
            }
            return categoryRevenue.entrySet().stream()
                    .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(PAGE)
                    .map(entry -> new Reports.CategoryRevenue(entry.getKey(), (String) categories.get(entry.getKey()).get("name"),
                            null, "EUR", entry.getValue(), categoryUnits.get(entry.getKey())))
                    .toList();
        }

        List<String> topProducts() {
            List<String> ids = orders.sql("""
                            SELECT l.product_id, SUM(l.quantity) AS units
                            FROM order_line l JOIN customer_order o ON o.id = l.order_id
                            WHERE o.status = 'CONFIRMED' AND o.placed_at >= ? AND o.placed_at < ?
                            GROUP BY l.product_id ORDER BY units DESC, l.product_id LIMIT ?""")
                    .params(Timestamp.from(FROM), Timestamp.from(TO), PAGE).query((row, n) -> row.getString(1)).list();
            withCatalog(ids);
            return ids;
        }

        List<String> boughtTogether(String product) {
            List<String> ids = orders.sql("""
                            SELECT other.product_id, COUNT(DISTINCT other.order_id) AS orders, SUM(other.quantity) AS units
                            FROM order_line bought
                            JOIN order_line other ON other.order_id = bought.order_id AND other.product_id <> bought.product_id
                            JOIN customer_order o ON o.id = bought.order_id
                            WHERE bought.product_id = ? AND o.status = 'CONFIRMED'
                            GROUP BY other.product_id ORDER BY orders DESC, units DESC, other.product_id LIMIT ?""")
                    .params(product, PAGE).query((row, n) -> row.getString(1)).list();
            withCatalog(ids);
            return ids;
        }

        /** Name, price and stock of the products, in one request; what the report adds to each row. */
        private Map<String, Map<String, Object>> withCatalog(List<String> ids) {
            var response = catalog.query("""
                            SELECT record::id(id) AS id, sku, name, price.amount AS price FROM product WHERE id IN $products;
                            SELECT record::id(id) AS id, available, reserved FROM inventory WHERE id IN $inventory""",
                    Map.of("products", ids.stream().map(id -> RecordId.of("product", id)).toList(),
                            "inventory", ids.stream().map(id -> RecordId.of("inventory", id)).toList()));
            Map<String, Map<String, Object>> rows = new HashMap<>();
            response.rows(0).forEach(row -> rows.put((String) row.get("id"), new HashMap<>(row)));
            response.rows(1).forEach(row -> rows.computeIfAbsent((String) row.get("id"), id -> new HashMap<>()).putAll(row));
            return rows;
        }
    }
}
