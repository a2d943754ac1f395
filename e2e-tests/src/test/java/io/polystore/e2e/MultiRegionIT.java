package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.LocalRegions;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.Topology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two regions side by side, as {@code ./polystore --regions 2} starts them ({@link LocalRegions}: two complete
 * platforms, MirrorMaker 2 carrying {@code catalog.replication} from region-1 to region-2), driven only through each
 * region's gateway with the tokens that gateway issued: every response names its region; the catalog written in
 * region-1 is served identically by region-2 (the replication lag printed, p50 and p99), which refuses catalog writes
 * with 409 naming region-1 and changes nothing; stock is regional, and an order placed in region-2 against the
 * replicated catalog and region-2's own stock is CONFIRMED, and its masked history record reaches region-1's replica
 * of region-2's orders without personal data (MirrorMaker carrying {@code orders.history}); units of stock sent from region-1 to region-2 (MirrorMaker
 * carrying {@code catalog.transfers} between the regions both ways) arrive there once, are sold there, and the stock
 * summed over both regions is what was put in; and region-2, short of a product it sells, asks region-1, which sends
 * what it can spare (the catalog's rebalancer).
 *
 * <p>The rebalancer runs every 2 s here (default 10 s) with its defaults otherwise: a region asks for a product it
 * has sold with fewer than 5 units available, and gives only units above 5. The other tests' products are therefore
 * never moved: none is sold in region-1, so region-1 asks for none; region-2 asks for those it sold (the lamp, 1 left;
 * the kettle, 3 left), and region-1, with 5 and 3 of them, has none to spare above 5 and declines.
 *
 * <p>Its own JVM (failsafe execution {@code regions}), after the rest of the suite: two platforms are not started
 * next to the suite's own.
 */
class MultiRegionIT {

    /** Products whose replication is timed: enough for a p99 of a quiet catalog, little load. */
    private static final int LAG_SAMPLES = 20;
    /** Replication crosses sync-service's relay, Kafka, MirrorMaker and region-2's consumer on a busy machine. */
    private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(2);

    /** How often each region's rebalancer looks for products short of stock: short, so that the test is quick. */
    private static final Duration REBALANCING_INTERVAL = Duration.ofSeconds(2);

    private static LocalRegions regions;
    private static LocalPlatform region1;
    private static LocalPlatform region2;
    private static Shop shop1;
    private static Shop shop2;

    @BeforeAll
    static void start() {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Path data = Path.of("target/e2e-regions");
        RunningPlatform.deleteRecursively(data);
        long begin = System.nanoTime();
        regions = LocalRegions.start(new LocalRegions.Options(repository, data,
                List.of(PlatformPorts.free(), PlatformPorts.free()), line -> System.out.println("[regions] " + line),
                Map.of("polystore.catalog.rebalancing.interval", REBALANCING_INTERVAL.toMillis() + "ms"), Topology.single()));
        System.out.printf("[regions] both regions ready in %.1f s, %d MiB resident; gateways %s and %s%n",
                (System.nanoTime() - begin) / 1e9, regions.residentMemoryBytes() / (1024 * 1024),
                regions.region(1).gatewayUrl(), regions.region(2).gatewayUrl());
        region1 = regions.region(1);
        region2 = regions.region(2);
        shop1 = new Shop(region1, region1.gateway());
        shop2 = new Shop(region2, region2.gateway());
    }

    @AfterAll
    static void stop() {
        if (regions != null) {
            regions.close();
        }
    }

    @Test
    void everyGatewayResponseNamesItsRegion() {
        for (String region : List.of("region-1", "region-2")) {
            LocalPlatform platform = regions.region(region);
            GatewayClient gateway = platform.gateway();
            List<GatewayClient.Response> responses = List.of(
                    gateway.get("/api/catalog/products?limit=1", platform.demoToken("CUSTOMER")),
                    gateway.get("/api/orders", platform.demoToken("CUSTOMER")),
                    gateway.get("/api/catalog/products", null),
                    gateway.get("/api/audit/records", platform.demoToken("CUSTOMER")),
                    gateway.get("/api/no-such-route", platform.demoToken("CUSTOMER")),
                    gateway.get("/oauth2/jwks", null));
            assertThat(responses).extracting(GatewayClient.Response::status).contains(200, 401);
            assertThat(responses).allSatisfy(response -> assertThat(response.raw().headers().allValues("Polystore-Region"))
                    .as("Polystore-Region of %s %s", response.raw().request().uri(), response.status())
                    .isNotEmpty().containsOnly(region));
        }
    }

    @Test
    void theCatalogWrittenInRegion1IsServedIdenticallyByRegion2AndTheLagIsPrinted() {
        String manager = region1.demoToken("CATALOG_MANAGER");
        GatewayClient.Response category = region1.gateway().post("/api/catalog/categories", manager,
                Map.of("name", "Regional kettles"));
        assertThat(category.status()).as("create category: %s", category.body()).isEqualTo(201);
        String categoryId = category.json().path("id").asString();

        Map<String, Long> createdAt = new LinkedHashMap<>();
        Map<String, JsonNode> written = new LinkedHashMap<>();
        Map<String, Long> servedAt = new ConcurrentHashMap<>();
        Thread watcher = Thread.ofPlatform().name("watch region-2").start(() -> watchRegion2(createdAt, servedAt));
        try {
            for (int i = 0; i < LAG_SAMPLES; i++) {
                Map<String, Object> body = new LinkedHashMap<>(Shop.productBody("Regional kettle " + i, 10));
                body.put("description", "Replicated to every region, number " + i + ".");
                body.put("categoryIds", List.of(categoryId));
                GatewayClient.Response created = region1.gateway().post("/api/catalog/products", manager, body);
                assertThat(created.status()).as("create product: %s", created.body()).isEqualTo(201);
                String id = created.json().path("id").asString();
                synchronized (createdAt) {
                    createdAt.put(id, System.nanoTime());
                }
                written.put(id, created.json());
            }
            await("all " + LAG_SAMPLES + " products served by region-2").atMost(REPLICATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> servedAt.size() == LAG_SAMPLES);
        } finally {
            watcher.interrupt();
        }

        GatewayClient.Response replicatedCategory = region2.gateway().get("/api/catalog/categories/" + categoryId,
                region2.demoToken("CUSTOMER"));
        assertThat(replicatedCategory.status()).as("the category in region-2: %s", replicatedCategory.body()).isEqualTo(200);
        assertThat(replicatedCategory.json().path("name").asString()).isEqualTo("Regional kettles");
        written.forEach((id, original) -> {
            JsonNode replica = region2.gateway().get("/api/catalog/products/" + id, region2.demoToken("CUSTOMER")).json();
            for (String field : List.of("id", "sku", "name", "description", "price", "categoryIds")) {
                assertThat(replica.path(field)).as("%s of %s in region-2", field, id).isEqualTo(original.path(field));
            }
        });
        List<Long> lagsMillis = createdAt.entrySet().stream()
                .map(entry -> (servedAt.get(entry.getKey()) - entry.getValue()) / 1_000_000).sorted().toList();
        System.out.printf("[regions] catalog replication lag region-1 -> region-2 (create response to region-2 serving the"
                        + " product, %d products one after another): p50 %d ms, p99 %d ms, max %d ms%n", lagsMillis.size(),
                lagsMillis.get(lagsMillis.size() / 2), lagsMillis.get((int) Math.ceil(lagsMillis.size() * 0.99) - 1),
                lagsMillis.getLast());
    }

    /** Until interrupted: reads each created product from region-2 until it is served, noting when it first was. */
    private static void watchRegion2(Map<String, Long> createdAt, Map<String, Long> servedAt) {
        String customer = region2.demoToken("CUSTOMER");
        while (!Thread.currentThread().isInterrupted()) {
            List<String> pending;
            synchronized (createdAt) {
                pending = createdAt.keySet().stream().filter(id -> !servedAt.containsKey(id)).toList();
            }
            for (String id : pending) {
                if (region2.gateway().get("/api/catalog/products/" + id, customer).status() == 200) {
                    servedAt.put(id, System.nanoTime());
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Test
    void aCatalogWriteInRegion2IsRefusedWith409NamingRegion1AndChangesNothing() {
        String product = shop1.createProduct("Region-1 only teapot", 5);
        JsonNode original = awaitServedByRegion2(product);
        String manager = region2.demoToken("CATALOG_MANAGER");

        Map<String, Object> newProduct = Shop.productBody("Region-2 teapot", 5);
        GatewayClient.Response create = region2.gateway().post("/api/catalog/products", manager, newProduct);
        Map<String, Object> renamed = new LinkedHashMap<>(Map.of("sku", original.path("sku").asString(),
                "name", "Renamed in region-2", "price", Map.of("amount", "99.00", "currency", "EUR"),
                "attributes", Map.of(), "categoryIds", List.of(), "active", true, "version", original.path("version").asLong()));
        GatewayClient.Response replace = region2.gateway().put("/api/catalog/products/" + product, manager, renamed);
        GatewayClient.Response category = region2.gateway().post("/api/catalog/categories", manager, Map.of("name", "Region-2 shelf"));

        for (GatewayClient.Response refused : List.of(create, replace, category)) {
            assertThat(refused.status()).as("%s: %s", refused.raw().request().uri(), refused.body()).isEqualTo(409);
            assertThat(refused.json().path("catalogRegion").asString()).isEqualTo("region-1");
        }
        for (LocalPlatform platform : List.of(region1, region2)) {
            GatewayClient.Response found = platform.gateway().get("/api/catalog/products?q=" + newProduct.get("sku"),
                    platform.demoToken("CUSTOMER"));
            assertThat(found.json().path("items")).as("the refused product in %s", platform.dataDirectory().getFileName()).isEmpty();
            JsonNode now = platform.gateway().get("/api/catalog/products/" + product, platform.demoToken("CUSTOMER")).json();
            assertThat(now.path("name").asString()).isEqualTo("Region-1 only teapot");
            assertThat(now.path("price")).isEqualTo(original.path("price"));
            GatewayClient.Response categories = platform.gateway().get("/api/catalog/categories", platform.demoToken("CUSTOMER"));
            assertThat(categories.body()).as("categories of %s", platform.dataDirectory().getFileName())
                    .doesNotContain("Region-2 shelf");
        }
    }

    @Test
    void stockIsRegionalAndAnOrderInRegion2IsConfirmedFromItsOwnStockAndTheReplicatedCatalog() throws SQLException {
        String product = shop1.createProduct("Regional lamp", 5);
        awaitServedByRegion2(product);
        assertThat(shop2.inventory(product)).as("a replica region starts without stock").isEqualTo(new Shop.Inventory(0, 0, 0));

        GatewayClient.Response adjusted = region2.gateway().post("/api/catalog/products/" + product + "/inventory/adjustments",
                region2.demoToken("CATALOG_MANAGER"), Map.of("quantity", 3, "reason", "delivery to region-2"));
        assertThat(adjusted.status()).as("adjust region-2's stock: %s", adjusted.body()).isEqualTo(200);
        assertThat(shop2.inventory(product)).isEqualTo(new Shop.Inventory(3, 0, 0));

        String order = shop2.placeOrder(Map.of(product, 2));
        JsonNode confirmed = shop2.awaitStatus(order, "CONFIRMED");

        assertThat(new BigDecimal(confirmed.path("lines").path(0).path("unitPrice").path("amount").asString()))
                .as("priced from the replicated catalog").isEqualByComparingTo("12.50");
        assertThat(shop2.awaitNothingReserved(product)).isEqualTo(new Shop.Inventory(1, 0, 2));
        assertThat(shop1.inventory(product)).as("region-1's stock is its own").isEqualTo(new Shop.Inventory(5, 0, 0));

        // Its masked history record reaches region-1's replica (orders.history, mirrored as region-2.orders.history),
        // confirmed, without personal data; the order itself stays in region-2.
        long confirmedAt = System.nanoTime();
        Map<String, Object> replicated = await().atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> replicaRow(region1, order), row -> "CONFIRMED".equals(row.get("status")));
        System.out.printf("[regions] region-2's confirmed order in region-1's replica %.2f s after region-2 showed it%n",
                (System.nanoTime() - confirmedAt) / 1e9);
        assertThat(replicated).containsEntry("home_region", "region-2");
        assertThat((String) replicated.get("record")).doesNotContain("Alice", "alice", "1234567", "Hauptstrasse",
                "10115", "Berlin");
        assertThat(count(region1, "SELECT count(*) FROM customer_order WHERE id = ?::uuid", order)).isZero();
    }

    /** The order's row in the region's replica of other regions' orders: status, home region and record; empty if none. */
    private static Map<String, Object> replicaRow(LocalPlatform region, String orderId) throws SQLException {
        try (Connection connection = orders(region); PreparedStatement query = connection.prepareStatement(
                "SELECT status, home_region, record::text FROM order_replica WHERE order_id = ?::uuid")) {
            query.setString(1, orderId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Map.of("status", row.getString(1), "home_region", row.getString(2),
                        "record", row.getString(3)) : Map.of();
            }
        }
    }

    private static long count(LocalPlatform region, String sql, String parameter) throws SQLException {
        try (Connection connection = orders(region); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Connection orders(LocalPlatform region) throws SQLException {
        var postgres = region.infrastructure().postgres();
        return DriverManager.getConnection(postgres.jdbcUrl("orders"), postgres.username(), postgres.password());
    }

    @Test
    void unitsSentFromRegion1ArriveInRegion2OnceCanBeSoldThereAndTheStockOverBothRegionsIsConserved() {
        String product = shop1.createProduct("Travelling kettle", 8);
        awaitServedByRegion2(product);
        String manager = region1.demoToken("CATALOG_MANAGER");
        String transfers = "/api/catalog/products/" + product + "/inventory/transfers";

        GatewayClient.Response tooMany = region1.gateway().post(transfers, manager, Map.of("toRegion", "region-2", "quantity", 9));
        GatewayClient.Response unknown = region1.gateway().post(transfers, manager, Map.of("toRegion", "region-9", "quantity", 1));
        assertThat(tooMany.status()).as("too many: %s", tooMany.body()).isEqualTo(400);
        assertThat(tooMany.json().path("errors").findValuesAsString("field")).containsExactly("quantity");
        assertThat(unknown.status()).as("unknown region: %s", unknown.body()).isEqualTo(400);
        assertThat(unknown.json().path("errors").findValuesAsString("field")).containsExactly("toRegion");

        long begin = System.nanoTime();
        GatewayClient.Response sent = region1.gateway().post(transfers, manager, Map.of("toRegion", "region-2", "quantity", 5));
        assertThat(sent.status()).as("transfer: %s", sent.body()).isEqualTo(201);
        assertThat(shop1.inventory(product)).as("taken out of region-1 at once").isEqualTo(new Shop.Inventory(3, 0, 0));
        await("the transfer received by region-2").atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> shop2.inventory(product).available() == 5);
        System.out.printf("[regions] stock transfer region-1 -> region-2: received %d ms after the transfer's response%n",
                (System.nanoTime() - begin) / 1_000_000);

        String order = shop2.placeOrder(Map.of(product, 2));
        shop2.awaitStatus(order, "CONFIRMED");
        assertThat(shop2.awaitNothingReserved(product)).as("received once, 2 sold").isEqualTo(new Shop.Inventory(3, 0, 2));
        JsonNode stock1 = region1.gateway().get("/api/catalog/products/" + product + "/inventory", manager).json();
        JsonNode stock2 = region2.gateway().get("/api/catalog/products/" + product + "/inventory",
                region2.demoToken("CATALOG_MANAGER")).json();
        assertThat(stock1.path("sent").asLong()).isEqualTo(5);
        assertThat(stock2.path("received").asLong()).isEqualTo(5);
        long held = 0;
        for (JsonNode stock : List.of(stock1, stock2)) {
            held += stock.path("available").asLong() + stock.path("reserved").asLong() + stock.path("sold").asLong();
        }
        assertThat(held).as("over both regions, the 8 units put in region-1").isEqualTo(8);
    }

    @Test
    void region2ShortOfAProductItSellsAsksRegion1WhichSendsUnitsItCanSpareAndTheStockOverBothRegionsIsConserved() {
        String product = shop1.createProduct("Rebalanced teapot", 40);
        awaitServedByRegion2(product);
        GatewayClient.Response adjusted = region2.gateway().post("/api/catalog/products/" + product + "/inventory/adjustments",
                region2.demoToken("CATALOG_MANAGER"), Map.of("quantity", 3, "reason", "delivery to region-2"));
        assertThat(adjusted.status()).as("adjust region-2's stock: %s", adjusted.body()).isEqualTo(200);

        // Sold in region-2 (demand there), 1 left: below the low-water mark of 5.
        shop2.awaitStatus(shop2.placeOrder(Map.of(product, 2)), "CONFIRMED");
        long begin = System.nanoTime();
        // Region-2 asks for 10 - 1 = 9; region-1 has 35 to spare above its own mark and sends the 9.
        await("region-1's units in answer to region-2's request").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> shop2.inventory(product).available() == 10);
        System.out.printf("[regions] rebalancing region-1 -> region-2: 9 units arrived %d ms after the sale was confirmed"
                + " (rebalancer every %d ms)%n", (System.nanoTime() - begin) / 1_000_000, REBALANCING_INTERVAL.toMillis());

        String manager1 = region1.demoToken("CATALOG_MANAGER");
        JsonNode stock1 = region1.gateway().get("/api/catalog/products/" + product + "/inventory", manager1).json();
        JsonNode stock2 = region2.gateway().get("/api/catalog/products/" + product + "/inventory",
                region2.demoToken("CATALOG_MANAGER")).json();
        assertThat(stock1.path("sent").asLong()).as("sent by region-1").isEqualTo(9);
        assertThat(stock1.path("available").asLong()).isEqualTo(31);
        assertThat(stock2.path("received").asLong()).as("received once by region-2").isEqualTo(9);
        assertThat(stock2.path("sold").asLong()).isEqualTo(2);
        long held = 0;
        for (JsonNode stock : List.of(stock1, stock2)) {
            held += stock.path("available").asLong() + stock.path("reserved").asLong() + stock.path("sold").asLong();
        }
        assertThat(held).as("over both regions, the 40 units put in region-1 and the 3 in region-2").isEqualTo(43);
    }

    /** Waits until region-2's gateway serves the product; returns it as region-1 serves it. */
    private static JsonNode awaitServedByRegion2(String productId) {
        AtomicReference<GatewayClient.Response> last = new AtomicReference<>();
        await("product " + productId + " served by region-2").atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    last.set(region2.gateway().get("/api/catalog/products/" + productId, region2.demoToken("CUSTOMER")));
                    return last.get().status() == 200;
                });
        return region1.gateway().get("/api/catalog/products/" + productId, region1.demoToken("CUSTOMER")).json();
    }

    /**
     * One identity across regions: alice of region-2 (her token issued by region-2's gateway, her home region in its
     * {@code region} claim) places, lists and reads her orders through region-1's gateway, which trusts region-2's
     * tokens and forwards her home-region-only requests to region-2's gateway: region-2 answers, and the order is
     * kept in region-2's database only.
     */
    @Test
    void aCustomerOfRegion2PlacesAndListsOrdersThroughRegion1sGatewayAnsweredByRegion2AndKeptOnlyThere() throws Exception {
        String product = shop1.createProduct("Commuter's mug", 5);
        awaitServedByRegion2(product);
        String aliceOfRegion2 = region2.demoToken("CUSTOMER");
        Shop region2ThroughRegion1 = new Shop(region2, region1.gateway());

        GatewayClient.Response placed = region2ThroughRegion1.placed(aliceOfRegion2, java.util.UUID.randomUUID().toString(),
                Map.of(product, 1));
        String order = placed.json().path("id").asString();
        assertThat(placed.raw().headers().allValues("Polystore-Region")).as("placed").containsExactly("region-2");

        GatewayClient.Response listed = region1.gateway().get("/api/orders", aliceOfRegion2);
        assertThat(listed.status()).as("listed: %s", listed.body()).isEqualTo(200);
        assertThat(listed.raw().headers().allValues("Polystore-Region")).as("listed").containsExactly("region-2");
        assertThat(listed.body()).contains(order);
        GatewayClient.Response read = region1.gateway().get("/api/orders/" + order, aliceOfRegion2);
        assertThat(read.status()).as("read: %s", read.body()).isEqualTo(200);
        assertThat(read.raw().headers().allValues("Polystore-Region")).as("read").containsExactly("region-2");

        assertThat(ordersWithId(region2, order)).as("in region-2's database").isEqualTo(1);
        assertThat(ordersWithId(region1, order)).as("in region-1's database").isZero();
    }

    private static int ordersWithId(LocalPlatform region, String orderId) throws java.sql.SQLException {
        var postgres = region.infrastructure().postgres();
        try (var connection = java.sql.DriverManager.getConnection(postgres.jdbcUrl("orders"), postgres.username(),
                postgres.password());
             var query = connection.prepareStatement("SELECT count(*) FROM customer_order WHERE id = ?")) {
            query.setObject(1, java.util.UUID.fromString(orderId));
            try (var rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
