package io.polystore.sync.federation;

import io.polystore.events.EventEnvelope;
import io.polystore.events.EventCodec;
import io.polystore.events.FederatedQueryRan;
import io.polystore.events.OrderCancelled;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.sync.support.SourceStores;
import io.polystore.sync.support.SyncServiceTest;
import io.polystore.sync.support.TopicRecords;
import io.polystore.testkit.SharedServers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.polystore.sync.federation.FederationData.BULK_ORDERS;
import static io.polystore.sync.federation.FederationData.BULK_PRODUCTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@SyncServiceTest
class FederationIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JUNE = "from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z";

    @Value("${local.server.port}") int port;
    @Autowired FederatedQueries queries;
    @Autowired FederationProperties properties;
    @Autowired KafkaEventBinding binding;
    @Autowired EventCodec codec;

    private final String orderManager = SharedServers.tokens().tokenFor("olga", "ORDER_MANAGER");
    private final String auditor = SharedServers.tokens().tokenFor("audrey", "AUDITOR");

    /** After the context's start, which migrates the stores. */
    @BeforeEach
    void seed() {
        FederationData.seed();
    }

    @Test
    void revenueByCategoryIsRolledUpTheTreeAndPaged() {
        // June's CONFIRMED orders: laptop 2 x 1000, mouse 3 x 25, headphones 1 x 200 (in audio and electronics),
        // novel 3 x 10. The cancelled order and July's are left out.
        JsonNode first = get("/reports/revenue-by-category?" + JUNE + "&limit=2", orderManager);
        assertThat(rows(first, "categoryId", "revenue", "units")).containsExactly(
                List.of("electronics", "2275.00", "6"), List.of("computers", "2075.00", "5"));
        assertThat(first.path("items").get(1).path("parentId").asString()).isEqualTo("electronics");
        assertThat(first.path("nextOffset").asInt()).isEqualTo(2);
        JsonNode second = get("/reports/revenue-by-category?" + JUNE + "&offset=2&limit=2", orderManager);
        assertThat(rows(second, "categoryId", "revenue", "units")).containsExactly(
                List.of("laptops", "2000.00", "2"), List.of("audio", "200.00", "1"));
        JsonNode last = get("/reports/revenue-by-category?" + JUNE + "&offset=4&limit=2", orderManager);
        assertThat(rows(last, "categoryId", "revenue", "units")).containsExactly(List.of("books", "30.00", "3"));
        assertThat(last.path("nextOffset").isNull()).isTrue();
        assertThat(last.path("items").get(0).path("currency").asString()).isEqualTo("EUR");
        assertFreshness(last);
    }

    @Test
    void topProductsComeWithTheirCurrentStock() {

        JsonNode page = get("/reports/top-products?" + JUNE + "&limit=10", admin());
        assertThat(rows(page, "productId", "unitsSold", "revenue", "available", "reserved")).containsExactly(
                List.of("fed-mouse", "3", "75.00", "40", "0"),
                List.of("fed-novel", "3", "30.00", "12", "2"),
                List.of("fed-laptop", "2", "2000.00", "7", "1"),
                List.of("fed-headphones", "1", "200.00", "0", "0"));
        assertThat(page.path("items").get(0).path("name").asString()).isEqualTo("Product fed-mouse");
    }

    @Test
    void productsBoughtTogetherComeWithStockAndPrice() {
        // CONFIRMED orders with the laptop: June's two and July's; the cancelled one is left out.
        JsonNode page = get("/reports/bought-together?productId=fed-laptop", orderManager);
        assertThat(rows(page, "productId", "orders", "units", "price", "available")).containsExactly(
                List.of("fed-mouse", "1", "2", "25.00", "40"),
                List.of("fed-headphones", "1", "1", "200.00", "0"),
                List.of("fed-novel", "1", "1", "10.00", "12"));
        assertThat(get("/reports/bought-together?productId=no-such-product", orderManager).path("items")).isEmpty();
    }

    @Test
    void plansPushTheWorkDownIntoBothStores() {
        String revenue = queries.explain(Reports.REVENUE_BY_CATEGORY, List.of("2025-06-01 00:00:00",
                "2025-07-01 00:00:00", 20, 0));
        // Filter, join and aggregate of the orders run inside PostgreSQL, under one JDBC converter...
        String jdbc = revenue.substring(revenue.indexOf("JdbcToEnumerableConverter"));
        assertThat(jdbc).contains("JdbcAggregate(group=[{", "JdbcJoin(", "JdbcFilter(condition=[AND(=(");
        // ...and the catalog is read by parameterised SurrealQL, only the columns needed.
        // ...and the catalog is read by parameterised SurrealQL; the categories by the keys the other side yields,
        // a batch at a time (Calcite's batched nested-loop join), not whole.
        assertThat(revenue).contains("surrealql=[SELECT record::id(id) AS id, name AS name, "
                + "(IF parent THEN record::id(parent) END) AS parent_id", "FROM category WHERE id IN $p0 TIMEOUT " + properties.timeLimit().toMillis() + "ms]");
        assertThat(revenue).doesNotContain("EnumerableTableScan", "BindableTableScan");

        String catalog = queries.explain(
                "SELECT name, sku FROM catalog.product WHERE sku >= 'SKU-bulk-0990' AND sku < 'SKU-c' AND active = true "
                        + "ORDER BY sku DESC LIMIT 3", List.of());
        assertThat(catalog).contains("FROM product WHERE (sku >= $p0 AND sku < $p1) AND active = $p2 ORDER BY sku DESC "
                + "LIMIT $p3 TIMEOUT " + properties.timeLimit().toMillis() + "ms]");
        assertThat(catalog).doesNotContain("EnumerableFilter", "EnumerableSort", "EnumerableLimit");
        JsonNode answer = post("SELECT name, sku FROM catalog.product WHERE sku >= 'SKU-bulk-0990' AND sku < 'SKU-c' "
                + "AND active = true ORDER BY sku DESC LIMIT 3", auditor).body();
        assertThat(answer.path("rows").toString())
                .isEqualTo("[[\"Product bulk-0999\",\"SKU-bulk-0999\"],[\"Product bulk-0998\",\"SKU-bulk-0998\"],"
                        + "[\"Product bulk-0997\",\"SKU-bulk-0997\"]]");

        // Bought together: PostgreSQL finds and cuts the page; SurrealDB is asked only for those products.
        String together = queries.explain(Reports.BOUGHT_TOGETHER, List.of("fed-laptop", 21, 0));
        assertThat(together).contains("JdbcSort(", "JdbcAggregate(", "JdbcFilter(condition=[=($2, ?0)])",
                "FROM product WHERE id IN $p0 TIMEOUT", "FROM inventory WHERE id IN $p0 TIMEOUT");
        assertThat(together).doesNotContain("FROM product TIMEOUT", "FROM inventory TIMEOUT");

        String edge = queries.explain("SELECT out_id FROM catalog.bought_together WHERE in_id = 'fed-laptop'", List.of());
        assertThat(edge).contains("AS out_id", "FROM bought_together WHERE in = $p0 TIMEOUT").doesNotContain("EnumerableFilter");
        assertThat(post("SELECT out_id, weight FROM catalog.bought_together WHERE in_id = 'fed-laptop'", auditor)
                .body().path("rows").toString()).isEqualTo("[[\"fed-mouse\",1]]");
    }

    @Test
    void tenThousandOrdersJoinThousandProducts() {
        Response response = post("""
                SELECT p.id, p.price_amount, SUM(l.quantity) AS units, COUNT(*) AS lines
                FROM orders.order_line l
                JOIN orders.customer_order o ON o.id = l.order_id
                JOIN catalog.product p ON p.id = l.product_id
                WHERE o.placed_at < TIMESTAMP '2021-01-01 00:00:00'
                GROUP BY p.id, p.price_amount""", auditor);

        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        Map<String, Integer> expectedUnits = new HashMap<>();
        for (int order = 0; order < BULK_ORDERS; order++) {
            expectedUnits.merge(FederationData.bulkProduct(order % BULK_PRODUCTS), FederationData.bulkQuantity(order), Integer::sum);
        }
        Map<String, Integer> units = new HashMap<>();
        long lines = 0;
        for (JsonNode row : response.body().path("rows")) {
            units.put(row.get(0).asString(), row.get(2).asInt());
            lines += row.get(3).asLong();
            assertThat(row.get(1).decimalValue()).isEqualByComparingTo("2.00");
        }
        assertThat(units).isEqualTo(expectedUnits);
        assertThat(lines).isEqualTo(BULK_ORDERS);
        assertThat(response.body().path("rowCount").asInt()).isEqualTo(BULK_PRODUCTS);
    }

    @Test
    void badInputIsAProblemAndChangesNothing() {
        long orders = SourceStores.orders().sql("SELECT count(*) FROM customer_order").query(Long.class).single();
        assertRefused("CREATE TABLE orders.x (a INT)", "Not one SELECT query");
        assertRefused("DROP TABLE orders.customer_order", "Not one SELECT query");
        assertRefused("DELETE FROM orders.customer_order", "Only a SELECT query is accepted; found DELETE");
        assertRefused("INSERT INTO orders.order_line (order_id) VALUES ('x')", "found INSERT");
        assertRefused("UPDATE catalog.product SET name = 'x'", "found UPDATE");
        assertRefused("SELECT 1; DELETE FROM orders.customer_order", "Exactly one statement is accepted; found 2");
        assertRefused("SELECT * FROM orders.outbox_event", "Object 'outbox_event' not found within 'orders'");
        assertRefused("SELECT * FROM orders.customer_key", "Object 'customer_key' not found");
        assertRefused("SELECT * FROM catalog.purchased", "Object 'purchased' not found within 'catalog'");
        assertRefused("SELECT personal_data FROM orders.customer_order", "Column 'personal_data' not found");
        assertRefused("SELECT customer_id FROM orders.customer_order", "Column 'customer_id' not found");
        assertRefused("SELECT price FROM catalog.product", "Column 'price' not found");

        Response capped = post("SELECT l.order_id, c.name FROM orders.order_line l CROSS JOIN catalog.category c", auditor);
        assertThat(capped.status()).isEqualTo(422);
        assertThat(capped.body().path("limit").asString()).isEqualTo("ROW_CAP");
        assertThat(capped.body().path("detail").asString()).contains("more than " + properties.rowCap() + " rows");

        long started = System.nanoTime();
        Response slow = post("SELECT COUNT(*) FROM orders.order_line a JOIN orders.order_line b ON a.quantity <> b.quantity "
                + "JOIN orders.order_line c ON b.line_no <> c.line_no", auditor, 500);
        assertThat(slow.status()).as(slow.body().toString()).isEqualTo(422);
        assertThat(slow.body().path("limit").asString()).isEqualTo("TIME_LIMIT");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        // PostgreSQL's part was cancelled too: no statement of the read-only role is left running.
        await().atMost(Duration.ofSeconds(5)).until(() -> SourceStores.orders().sql(
                "SELECT count(*) FROM pg_stat_activity WHERE usename = :role AND state = 'active'")
                .param("role", properties.postgres().role()).query(Long.class).single() == 0);

        assertThat(SourceStores.orders().sql("SELECT count(*) FROM customer_order").query(Long.class).single())
                .isEqualTo(orders);
    }

    @Test
    void theReadOnlyUsersCannotWriteNorReadPersonalData() throws SQLException {
        var postgres = SharedServers.postgres();
        try (Connection role = DriverManager.getConnection(postgres.jdbcUrl(SourceStores.ORDERS_DATABASE),
                properties.postgres().role(), properties.postgres().password())) {
            assertThat(role.createStatement().executeQuery("SELECT count(*) FROM order_line").next()).isTrue();
            assertThatThrownBy(() -> role.createStatement().executeUpdate("DELETE FROM order_line"))
                    .hasMessageContaining("read-only transaction");
            role.createStatement().execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE");
            assertThatThrownBy(() -> role.createStatement().executeUpdate("DELETE FROM order_line"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> role.createStatement().executeQuery("SELECT personal_data FROM customer_order"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> role.createStatement().executeQuery("SELECT * FROM keyvault.customer_key"))
                    .hasMessageContaining("permission denied");
        }
        var surreal = SharedServers.surrealDb();
        HttpRpcSettings viewer = HttpRpcSettings.of(URI.create(surreal.url()), SourceStores.SURREAL_NAMESPACE,
                        SourceStores.SURREAL_CATALOG_DATABASE, properties.surrealdb().username(), properties.surrealdb().password())
                .withUserOn(SourceStores.SURREAL_NAMESPACE, SourceStores.SURREAL_CATALOG_DATABASE);
        try (SurrealClient client = new SurrealClient(new HttpRpcTransport(viewer, new SimpleMeterRegistry()))) {
            assertThat(client.query("SELECT count() AS n FROM category GROUP ALL").rows(0)).hasSize(1);
            client.query("UPDATE product SET name = 'changed'; CREATE product:written SET name = 'x'; "
                    + "DELETE category;");
        }
        try (SurrealClient catalog = SourceStores.surrealCatalog()) {
            assertThat(catalog.query("SELECT VALUE name FROM product WHERE name = 'changed' OR id = product:written").rows(0)).isEmpty();
            assertThat(catalog.query("SELECT count() AS n FROM category GROUP ALL").rows(0).get(0).get("n")).isEqualTo(6L);
        }
    }

    @Test
    void everyQueryIsAuditedWithItsTextCallerAndOutcome() {
        try (TopicRecords audit = new TopicRecords(Topics.AUDIT_EVENTS)) {
            Response ok = post("SELECT id FROM catalog.category WHERE id = 'books'", auditor);
            String admin = admin();
            Response refused = post("DELETE FROM orders.order_line", admin);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.body().path("rowCount").asInt()).isEqualTo(1);
            assertThat(refused.status()).isEqualTo(400);
            String queryId = ok.body().path("queryId").asString();

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                List<FederatedQueryRan> events = new ArrayList<>();
                audit.matching(record -> true).forEach(record -> {
                    EventEnvelope envelope = binding.fromConsumerRecord(record);
                    if (envelope.data() instanceof FederatedQueryRan query) {
                        events.add(query);
                    }
                });
                assertThat(events).anySatisfy(event -> {
                    assertThat(event.queryId()).isEqualTo(queryId);
                    assertThat(event.actor()).isEqualTo("audrey");
                    assertThat(event.sql()).isEqualTo("SELECT id FROM catalog.category WHERE id = 'books'");
                    assertThat(event.outcome()).isEqualTo(FederatedQueryRan.Outcome.SUCCEEDED);
                    assertThat(event.rowCount()).isEqualTo(1);
                });
                assertThat(events).anySatisfy(event -> {
                    assertThat(event.actor()).isEqualTo("root");
                    assertThat(event.sql()).isEqualTo("DELETE FROM orders.order_line");
                    assertThat(event.outcome()).isEqualTo(FederatedQueryRan.Outcome.REFUSED);
                });
            });
        }
    }

    @Test
    void answersSayHowFarTheRelaysHaveDelivered() {
        var postgres = SharedServers.postgres();
        DriverManagerDataSource orders = new DriverManagerDataSource(postgres.jdbcUrl(SourceStores.ORDERS_DATABASE),
                postgres.username(), postgres.password());
        OutboxWriter writer = new OutboxWriter(JdbcClient.create(orders), codec, "outbox_event", "/order-service", Clock.systemUTC());
        EventEnvelope written = new TransactionTemplate(new DataSourceTransactionManager(orders))
                .execute(status -> writer.write(new OrderCancelled(UUID.randomUUID(), Instant.now())));
        Instant committed = SourceStores.orders().sql("SELECT created_at FROM outbox_event WHERE id = :id")
                .param("id", UUID.fromString(written.id())).query(java.sql.Timestamp.class).single().toInstant();

        // Once the relay has delivered the row (and confirmed it to the slot), answers say so.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode orderSource = get("/reports/bought-together?productId=fed-laptop", orderManager).path("freshness").get(0);
            assertThat(orderSource.path("schema").asString()).isEqualTo("orders");
            assertThat(orderSource.path("deliveredPosition").asString()).matches("[0-9A-F]+/[0-9A-F]+");
            assertThat(orderSource.path("deliveredThrough").asString()).isNotBlank();
            assertThat(Instant.parse(orderSource.path("deliveredThrough").asString())).isAfterOrEqualTo(committed);
        });
        JsonNode catalogSource = get("/reports/bought-together?productId=fed-laptop", orderManager).path("freshness").get(1);
        assertThat(catalogSource.path("schema").asString()).isEqualTo("catalog");
        assertThat(catalogSource.path("behindBytes").isNull()).isTrue();
    }

    @Test
    void onlyTheirRolesMayUseReportsAndQueries() {
        String customer = SharedServers.tokens().tokenFor("carl", "CUSTOMER");
        assertThat(status("/reports/top-products?" + JUNE, customer)).isEqualTo(403);
        assertThat(status("/reports/top-products?" + JUNE, auditor)).isEqualTo(403);
        assertThat(status("/reports/top-products?" + JUNE, null)).isEqualTo(401);
        assertThat(post("SELECT 1", orderManager).status()).isEqualTo(403);
        assertThat(post("SELECT 1", customer).status()).isEqualTo(403);
        Response badPeriod = request("/reports/revenue-by-category?from=2025-07-01T00:00:00Z&to=2025-06-01T00:00:00Z", orderManager);
        assertThat(badPeriod.status()).isEqualTo(400);
        assertThat(badPeriod.body().path("errors").get(0).path("field").asString()).isEqualTo("to");
        assertThat(status("/reports/top-products?" + JUNE + "&limit=0", orderManager)).isEqualTo(400);
        assertThat(status("/reports/bought-together", orderManager)).isEqualTo(400);
    }

    private void assertRefused(String sql, String reason) {
        Response response = post(sql, auditor);
        assertThat(response.status()).as("%s: %s", sql, response.body()).isEqualTo(400);
        assertThat(response.body().path("errors").get(0).path("field").asString()).isEqualTo("sql");
        assertThat(response.body().path("errors").get(0).path("reason").asString()).as(sql).contains(reason);
    }

    private static void assertFreshness(JsonNode answer) {
        List<String> schemas = StreamSupport.stream(answer.path("freshness").spliterator(), false)
                .map(source -> source.path("schema").asString() + "/" + source.path("relay").asString()).toList();
        assertThat(schemas).containsExactly("orders/postgres", "catalog/surrealdb");
        assertThat(answer.path("freshness").get(0).path("observedAt").asString()).isNotBlank();
    }

    private static List<List<String>> rows(JsonNode page, String... fields) {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            List<String> row = new ArrayList<>();
            for (String field : fields) {
                JsonNode value = item.path(field);
                // Amounts compared as decimals: SurrealDB hands back 25.00 as 25.
                row.add(field.equals("revenue") || field.equals("price")
                        ? value.decimalValue().setScale(2, java.math.RoundingMode.UNNECESSARY).toPlainString()
                        : value.asString());
            }
            rows.add(row);
        }
        return rows;
    }

    private String admin() {
        return SharedServers.tokens().tokenFor("root", "ADMIN");
    }

    private JsonNode get(String path, String token) {
        Response response = request(path, token);
        assertThat(response.status()).as("%s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }

    private int status(String path, String token) {
        return request(path, token).status();
    }

    private Response request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.GET().build());
    }

    private Response post(String sql, String token) {
        return post(sql, token, null);
    }

    private Response post(String sql, String token, Integer timeLimitMillis) {
        Map<String, Object> body = new HashMap<>();
        body.put("sql", sql);
        if (timeLimitMillis != null) {
            body.put("timeLimitMillis", timeLimitMillis);
        }
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/query"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
    }

    private static Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(),
                    response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Response(int status, JsonNode body) {
    }
}
