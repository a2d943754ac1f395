package io.polystore.e2e;

import io.polystore.testkit.kafka.MirrorMakerProcess;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.GatewaySignIn;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.LocalRegions;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.Topology;
import io.polystore.testkit.postgres.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two regions side by side ({@link LocalRegions}: two complete platforms, MirrorMaker 2 carrying
 * {@code catalog.replication} from region-1 to region-2), region-2 added at run time: region-1 is started alone, and
 * region-2 joins while region-1's customers order ({@link LocalRegions#addRegion}: region-1 is neither stopped nor
 * reconfigured, it learns of region-2 from its announcement); every region-1 order placed meanwhile is CONFIRMED with
 * no request failed, and everything below is region-2, joined, getting the catalog, an allocation and selling. Driven only through each
 * region's gateway with the tokens that gateway issued: every response names its region; the catalog written in
 * region-1 is served identically by region-2 (the replication lag printed, p50 and p99), which refuses catalog writes
 * with 409 naming region-1 and changes nothing; stock is regional, and an order placed in region-2 against the
 * replicated catalog and region-2's own stock is CONFIRMED, and its masked history record reaches region-1's replica
 * of region-2's orders without personal data (MirrorMaker carrying {@code orders.history}); units of stock sent from region-1 to region-2 (MirrorMaker
 * carrying {@code catalog.transfers} between the regions both ways) arrive there once, are sold there, and the stock
 * summed over both regions is what was put in; and region-2, short of a product it sells, asks region-1, which sends
 * what it can spare (the catalog's rebalancer). Issue 21's two end-to-end checks: customers of both regions order the
 * same products at once (nothing oversold, every order terminal at home, orders and personal data only in the home
 * region's PostgreSQL, the catalog identical); and the region-failure drill (region-2 killed mid-load and started
 * again: region-1 sells on, region-2 catches up with nothing lost or applied twice). Last, a third region joins the two
 * while both sell (none of their requests fails), gets the catalog and, short of stock, an allocation from a peer,
 * and sells it; both running regions forward its customers to it.
 *
 * <p>The rebalancer runs every 2 s here (default 10 s) with its defaults otherwise: a region asks for a product it
 * has sold with fewer than 5 units available, and gives only units above 5. The other tests' products are therefore
 * never moved: none is sold in region-1, so region-1 asks for none; region-2 asks for those it sold (the lamp, 1 left;
 * the kettle, 3 left), and region-1, with 5 and 3 of them, has none to spare above 5 and declines. Once region-3 has
 * joined, the regions short of those ask it in turn, and it declines too: it holds none of them.
 *
 * <p>Its own JVM (failsafe execution {@code regions}), after the rest of the suite: two or three platforms are not
 * started next to the suite's own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiRegionIT {

    /** Products whose replication is timed: enough for a p99 of a quiet catalog, little load. */
    private static final int LAG_SAMPLES = 20;
    /** How often region-2's listing of the products is read: the lag's resolution. */
    private static final Duration LAG_READ_INTERVAL = Duration.ofMillis(50);
    /** Replication crosses sync-service's relay, Kafka, MirrorMaker and region-2's consumer on a busy machine. */
    private static final Duration REPLICATION_TIMEOUT = Duration.ofMinutes(2);

    /** Products both regions sell at once, each region from its own stock of them. */
    private static final int SHARED_PRODUCTS = 3;
    private static final int REGION1_STOCK = 4;
    private static final int REGION2_STOCK = 3;
    /**
     * Customers ordering at once in each region, each 6 orders of 1 or 2 units: 18 units asked of each region, which
     * holds 12 (region-1) and 9 (region-2). Below the rebalancer's low-water mark of 5 in both, so neither has units
     * to spare and none move.
     */
    private static final int CUSTOMERS_PER_REGION = 2;
    private static final int ORDERS_PER_CUSTOMER = 6;
    private static final String PASSWORD = "ordering in my own region";

    /** The drill's product: units in each region, more than its orders take, so that every order can be confirmed. */
    private static final int DRILL_STOCK = 1_000;
    /** Per customer, between their orders in the drill: a few dozen orders in all while region-2 is down and back. */
    private static final Duration DRILL_PACE = Duration.ofSeconds(2);
    /** Before an order's request is sent again, after it failed. */
    private static final Duration RETRY_PAUSE = Duration.ofMillis(250);
    /** Units of the drill's travelling product in region-1, and how many it sends region-2 while region-2 is down. */
    private static final int TRAVELLING_STOCK = 10;
    private static final int TRANSFERRED = 4;
    /** The price region-1 gives a product while region-2 is down. */
    private static final String NEW_PRICE = "14.75";
    /** order-service's, sync-service's, audit-service's and the gateway's databases in each region's PostgreSQL. */
    private static final List<String> DATABASES = List.of("orders", "sync", "audit", "gateway");

    /** How often each region's rebalancer looks for products short of stock: short, so that the test is quick. */
    private static final Duration REBALANCING_INTERVAL = Duration.ofSeconds(2);

    /** The product customers order while a region joins: more units than they can buy meanwhile. */
    private static final int JOIN_STOCK = 1_000;
    /** The rebalancer's default target: a region short of a product asks for as many as bring it to 10 available. */
    private static final long REBALANCING_TARGET = 10;

    private static LocalRegions regions;
    /** What happened while region-2 joined. */
    private static Join join;
    /** The product region-1's customers ordered while region-2 joined, of which region-1 sent region-2 a unit. */
    private static String joinedProduct;
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
                List.of(PlatformPorts.free()), line -> System.out.println("[regions] " + line),
                Map.of("polystore.catalog.rebalancing.interval", REBALANCING_INTERVAL.toMillis() + "ms"), Topology.single()));
        System.out.printf("[regions] region-1 ready alone in %.1f s; gateway %s%n", (System.nanoTime() - begin) / 1e9,
                regions.region(1).gatewayUrl());
        region1 = regions.region(1);
        shop1 = new Shop(region1, region1.gateway());
        String product = shop1.createProduct("Join kettle", JOIN_STOCK);
        // Region-1 knows region-2 once its gateway trusts region-2's tokens and its catalog-service sends it a unit.
        join = Join.whileTheyOrder(List.of(signUp(1), signUp(1)), product, (running, newcomer) ->
                running.gateway().get("/api/catalog/products", newcomer.token()).status() == 200
                        && running.gateway().post("/api/catalog/products/" + product + "/inventory/transfers",
                        running.demoToken("CATALOG_MANAGER"), Map.of("toRegion", "region-2", "quantity", 1)).status() == 201);
        joinedProduct = product;
        region2 = regions.region(2);
        shop2 = new Shop(region2, region2.gateway());
        System.out.printf("[regions] both regions ready in %.1f s, %d MiB resident; gateways %s and %s%n",
                (System.nanoTime() - begin) / 1e9, regions.residentMemoryBytes() / (1024 * 1024),
                region1.gatewayUrl(), region2.gatewayUrl());
    }

    /**
     * A region added while customers of the running regions order one product at home, one order every
     * {@link #DRILL_PACE} each: {@link LocalRegions#addRegion} returns once the new region has the catalog; then every
     * running region is waited for to know it ({@code knows}, asked with the running region and a customer who signed
     * up at the new region), and each customer for an order placed after the join.
     */
    private record Join(Load load, Customer newcomer, double joinSeconds, Map<String, Double> knownSeconds, long beganAt,
                        long endedAt) {

        static Join whileTheyOrder(List<Customer> customers, String product, BiPredicate<LocalPlatform, Customer> knows) {
            int running = regions.platforms().size();
            String joining = LocalRegions.regionName(running + 1);
            Load load = Load.start(customers, product);
            try {
                await("the customers ordering").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofMillis(200))
                        .until(() -> customers.stream().allMatch(customer -> load.placedBy(customer) >= 1));
                long began = System.nanoTime();
                LocalPlatform joined = regions.addRegion(PlatformPorts.free());
                double joinSeconds = (System.nanoTime() - began) / 1e9;
                Customer newcomer = signUp(running + 1);
                // The running regions were told nothing: they know the new one from its announcement, mirrored to them.
                Map<String, Double> knownSeconds = new ConcurrentHashMap<>();
                await("every running region knowing " + joining).atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            for (int region = 1; region <= running; region++) {
                                String name = LocalRegions.regionName(region);
                                if (!knownSeconds.containsKey(name) && knows.test(regions.region(region), newcomer)) {
                                    knownSeconds.put(name, (System.nanoTime() - began) / 1e9);
                                }
                            }
                            return knownSeconds.size() == running;
                        });
                long joinedAt = began + (long) (joinSeconds * 1e9);
                await("the customers ordering after the join").atMost(Shop.SAGA_TIMEOUT)
                        .pollInterval(Duration.ofMillis(200)).until(() -> customers.stream()
                                .allMatch(customer -> load.placedSince(customer, joinedAt) >= 1));
                System.out.printf("[regions] join: %s (%s) joined in %.1f s (started, mirrored, the catalog applied),"
                        + " known %s after the join began%n", joining, joined.gatewayUrl(), joinSeconds,
                        new TreeMap<>(knownSeconds).entrySet().stream().map(known -> String.format("by %s %.1f s",
                                known.getKey(), known.getValue())).collect(Collectors.joining(", ")));
                return new Join(load, newcomer, joinSeconds, Map.copyOf(knownSeconds), began, System.nanoTime());
            } finally {
                try {
                    load.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("The running regions' customers failed while " + joining + " joined", e);
                }
            }
        }

        /**
         * The orders placed meanwhile, all CONFIRMED (there is stock for all), and none of their requests failed from
         * the join's beginning on.
         */
        void assertEveryOrderConfirmedAndNoRequestFailed(List<String> runningRegions) {
            List<Placed> placed = load.placed();
            Map<String, String> statuses = awaitTerminalAtHome(placed);
            assertThat(placed).as("the running regions' orders").allSatisfy(order ->
                    assertThat(statuses.get(order.id())).isEqualTo("CONFIRMED"));
            for (String region : runningRegions) {
                assertThat(load.placedBetween(region, beganAt, endedAt)).as("%s's orders placed during the join", region)
                        .isPositive();
                assertThat(load.failuresBetween(region, beganAt, Long.MAX_VALUE)).as("%s's failed requests from the join on",
                        region).isEmpty();
                // Before, a product created a moment ago may have no price yet in a region's order-service (400).
                assertThat(load.failuresBetween(region, 0, beganAt)).as("%s's failed requests before the join", region)
                        .allSatisfy(failure -> assertThat(failure.what()).contains("no price is known"));
                System.out.printf("[regions] join: %s placed %d orders while %s joined (%.1f s), all CONFIRMED, 0 requests"
                        + " failed%n", region, load.placedBetween(region, beganAt, endedAt),
                        newcomer.homeRegion(), (endedAt - beganAt) / 1e9);
            }
        }
    }

    @Test
    @Order(1)
    void region2JoinedWhileRegion1SoldAndRegion1sOrdersWereAllConfirmedWithNoRequestFailed() {
        join.assertEveryOrderConfirmedAndNoRequestFailed(List.of("region-1"));
        // The unit region-1 sent once it knew region-2 arrives there once.
        await().atMost(REPLICATION_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() ->
                inventory(2, joinedProduct).path("received").asLong() == 1);
        assertThat(inventory(1, joinedProduct).path("sent").asLong()).isEqualTo(1);
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

        Map<String, Long> createdAt = new ConcurrentHashMap<>();
        Map<String, JsonNode> written = new LinkedHashMap<>();
        Map<String, Long> servedAt = new ConcurrentHashMap<>();
        // One request lists every product of the category that region-2 serves: each product's first appearance is
        // timed to within one read, with no sweep over the pending products and little load on the machine.
        Thread reader = Thread.ofPlatform().name("read region-2").start(() -> watchCategoryInRegion2(categoryId, servedAt));
        try {
            for (int i = 0; i < LAG_SAMPLES; i++) {
                Map<String, Object> body = new LinkedHashMap<>(Shop.productBody("Regional kettle " + i, 10));
                body.put("description", "Replicated to every region, number " + i + ".");
                body.put("categoryIds", List.of(categoryId));
                GatewayClient.Response created = region1.gateway().post("/api/catalog/products", manager, body);
                long createdNanos = System.nanoTime();
                assertThat(created.status()).as("create product: %s", created.body()).isEqualTo(201);
                String id = created.json().path("id").asString();
                createdAt.put(id, createdNanos);
                written.put(id, created.json());
            }
            await("all " + LAG_SAMPLES + " products served by region-2").atMost(REPLICATION_TIMEOUT)
                    .pollInterval(Duration.ofMillis(200)).until(() -> servedAt.keySet().containsAll(createdAt.keySet()));
        } finally {
            reader.interrupt();
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
        System.out.printf("[regions] catalog replication lag region-1 -> region-2 (create response to region-2's gateway"
                        + " listing the product, its category listed every %d ms, %d products one after another):"
                        + " p50 %d ms, p99 %d ms, max %d ms%n", LAG_READ_INTERVAL.toMillis(), lagsMillis.size(),
                lagsMillis.get(lagsMillis.size() / 2), lagsMillis.get((int) Math.ceil(lagsMillis.size() * 0.99) - 1),
                lagsMillis.getLast());
    }

    /**
     * Until interrupted: lists the category's products in region-2 every {@link #LAG_READ_INTERVAL}, noting when
     * (nanoTime, at the answer) each was first listed.
     */
    private static void watchCategoryInRegion2(String categoryId, Map<String, Long> servedAt) {
        String customer = region2.demoToken("CUSTOMER");
        while (!Thread.currentThread().isInterrupted()) {
            GatewayClient.Response listed = region2.gateway().get("/api/catalog/products?limit=500&category=" + categoryId, customer);
            long now = System.nanoTime();
            if (listed.status() == 200) {
                listed.json().path("items").forEach(item -> servedAt.putIfAbsent(item.path("id").asString(), now));
            }
            try {
                Thread.sleep(LAG_READ_INTERVAL);
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

    @Test
    void customersOfBothRegionsOrderTheSameProductsAtOnceAndNothingIsOversoldNorLeavesItsHomeRegion() throws Exception {
        List<String> products = new ArrayList<>();
        for (int i = 0; i < SHARED_PRODUCTS; i++) {
            products.add(shop1.createProduct("Shared teapot " + i, REGION1_STOCK));
        }
        products.forEach(MultiRegionIT::awaitServedByRegion2);
        Map<String, List<Integer>> putIn = new LinkedHashMap<>();
        for (String product : products) {
            addStock(2, product, REGION2_STOCK);
            putIn.put(product, List.of(REGION1_STOCK, REGION2_STOCK));
        }
        List<Customer> customers = new ArrayList<>();
        for (int region = 1; region <= 2; region++) {
            for (int i = 0; i < CUSTOMERS_PER_REGION; i++) {
                customers.add(signUp(region));
            }
        }

        // Every customer at once, each through their home region's gateway, 1 or 2 units an order.
        List<Placed> placed = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService clients = Executors.newFixedThreadPool(customers.size())) {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < customers.size(); c++) {
                Customer customer = customers.get(c);
                int first = c;
                sent.add(clients.submit(() -> {
                    for (int i = 0; i < ORDERS_PER_CUSTOMER; i++) {
                        placed.add(customer.place(Map.of(products.get((first + i) % SHARED_PRODUCTS), 1 + i % 2)));
                    }
                }));
            }
            for (Future<?> client : sent) {
                client.get();
            }
        }

        Map<String, String> statuses = awaitTerminalAtHome(placed);
        for (Placed order : placed) {
            String status = statuses.get(order.id());
            assertThat(status).as("order %s of %s", order.id(), order.customer().username()).isIn("CONFIRMED", "REJECTED");
            if (status.equals("REJECTED")) {
                assertThat(order.customer().shop().order(order.customer().token(), order.id()).path("statusReason").asString())
                        .as("why order %s was rejected", order.id()).startsWith("stock rejected").contains("INSUFFICIENT_STOCK");
            }
        }
        for (String region : List.of("region-1", "region-2")) {
            assertThat(placed).filteredOn(order -> order.customer().homeRegion().equals(region))
                    .as("%s's customers ordered more than its stock", region)
                    .anySatisfy(order -> assertThat(statuses.get(order.id())).isEqualTo("REJECTED"));
        }
        assertStockConserved(putIn, placed, statuses);
        customers.forEach(MultiRegionIT::assertOrdersAndPersonalDataOnlyInTheHomeRegion);
        assertTheCatalogIsIdenticalInEveryRegion();
        for (String region : List.of("region-1", "region-2")) {
            List<Placed> theirs = placed.stream().filter(order -> order.customer().homeRegion().equals(region)).toList();
            System.out.printf("[regions] %s: %d orders from %d customers at once, %d CONFIRMED, %d REJECTED (stock)%n",
                    region, theirs.size(), CUSTOMERS_PER_REGION,
                    theirs.stream().filter(order -> statuses.get(order.id()).equals("CONFIRMED")).count(),
                    theirs.stream().filter(order -> statuses.get(order.id()).equals("REJECTED")).count());
        }
    }

    /**
     * The region-failure drill, after the other tests of two regions (it kills region-2 and starts it again; region-3
     * joins after it). Customers of both regions order the
     * drill's product, each region selling from its own 1,000 units; region-2 is killed mid-load (SIGKILL to its five
     * services, its Kafka broker, its SurrealDB engine and its PostgreSQL); while it is down region-1 sells on (none of
     * its orders fails), writes catalog changes (two new products, a price change) and sends units to region-2; then
     * region-2 is started again on its data and ports. It catches up: the catalog changes arrive, the transfer arrives
     * once, every order region-2 accepted (201) before the kill is there and terminal, each customer's orders are one
     * per idempotency key, stock is conserved in each region and over both, and the catalogs are identical.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void region2KilledMidLoadRegion1SellsOnAndRegion2ComesBackCaughtUpWithNothingLostOrAppliedTwice() throws Exception {
        String drilled = shop1.createProduct("Drill kettle", DRILL_STOCK);
        String travelling = shop1.createProduct("Drill teapot", TRAVELLING_STOCK);
        String repriced = shop1.createProduct("Drill cup", 10);
        List.of(drilled, travelling, repriced).forEach(MultiRegionIT::awaitServedByRegion2);
        addStock(2, drilled, DRILL_STOCK);
        List<Customer> customers = new ArrayList<>();
        for (int region = 1; region <= 2; region++) {
            for (int i = 0; i < CUSTOMERS_PER_REGION; i++) {
                customers.add(signUp(region));
            }
        }

        Load load = Load.start(customers, drilled);
        Outage outage;
        try {
            await("every customer's first orders placed").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> customers.stream().allMatch(customer -> load.placedBy(customer) >= 2));
            outage = killRegion2(load, customers);
            duringTheOutage(outage, travelling, repriced);
            regions.restart(2);
            outage.restarted();
            region2 = regions.region(2);
            shop2 = new Shop(region2, region2.gateway());
            System.out.printf("[regions] drill: region-2 started again in %.1f s (%.1f s after the kill)%n",
                    outage.restartSeconds(), outage.downSeconds());
            // MirrorMaker ran on throughout; it resumes the flows into and out of region-2 by itself.
            assertThat(regions.mirrorMakers()).as("MirrorMaker through the outage").isNotEmpty().allMatch(MirrorMakerProcess::isAlive);
            awaitRegion2CaughtUp(outage, travelling, repriced);
            await("region-2's customers ordering again").atMost(Shop.SAGA_TIMEOUT).pollInterval(Duration.ofMillis(200))
                    .until(() -> customers.stream().filter(customer -> customer.homeRegion().equals("region-2"))
                            .allMatch(customer -> load.placedSince(customer, outage.upAt()) >= 1));
        } finally {
            load.stop();
        }

        List<Placed> placed = load.placed();
        Map<String, String> statuses = awaitTerminalAtHome(placed);
        for (Customer customer : customers) {
            List<String> theirs = placed.stream().filter(order -> order.customer().equals(customer)).map(Placed::id).toList();
            assertThat(customer.shop().statuses(customer.token()).keySet())
                    .as("the orders of %s at home: every one accepted, each once (one per idempotency key)", customer.username())
                    .containsExactlyInAnyOrderElementsOf(theirs);
        }
        assertThat(outage.region2OrdersBeforeTheKill()).as("region-2's orders accepted before the kill, found afterwards")
                .allSatisfy(order -> assertThat(statuses.get(order.id())).isIn(Shop.TERMINAL));
        assertThat(placed).filteredOn(order -> order.customer().homeRegion().equals("region-1"))
                .as("region-1's orders").allSatisfy(order -> assertThat(statuses.get(order.id())).isEqualTo("CONFIRMED"));
        assertThat(load.failuresBetween("region-1", outage.killedAt(), outage.upAt())).as("region-1's failed requests during the outage")
                .isEmpty();
        assertThat(load.placedBetween("region-1", outage.killedAt(), outage.upAt())).as("region-1's orders during the outage")
                .isPositive();
        assertStockConserved(Map.of(drilled, List.of(DRILL_STOCK, DRILL_STOCK), travelling, List.of(TRAVELLING_STOCK, 0),
                repriced, List.of(10, 0)), placed, statuses);
        JsonNode received = inventory(2, travelling);
        assertThat(received.path("received").asLong()).as("units received by region-2: the transfer applied once").isEqualTo(TRANSFERRED);
        assertThat(inventory(1, travelling).path("sent").asLong()).isEqualTo(TRANSFERRED);
        assertTheCatalogIsIdenticalInEveryRegion();

        for (String region : List.of("region-1", "region-2")) {
            System.out.printf("[regions] drill: %s during the outage (%.1f s): %d orders placed, %d requests failed (%d orders"
                            + " not placed until region-2 was back); in all %d orders, %s%n", region, outage.downSeconds(),
                    load.placedBetween(region, outage.killedAt(), outage.upAt()),
                    load.failuresBetween(region, outage.killedAt(), outage.upAt()).size(),
                    load.failuresBetween(region, outage.killedAt(), outage.upAt()).stream().map(Load.Failure::key).distinct().count(),
                    placed.stream().filter(order -> order.customer().homeRegion().equals(region)).count(),
                    placed.stream().filter(order -> order.customer().homeRegion().equals(region))
                            .collect(Collectors.groupingBy(order -> statuses.get(order.id()), TreeMap::new, Collectors.counting())));
        }
        System.out.printf("[regions] drill: region-2 had %d orders in flight (not yet terminal) at the kill, all terminal"
                + " afterwards%n", outage.region2InFlightAtTheKill());
    }

    /**
     * Region-3 joins the two running regions, last (the other tests are about two): while a customer of region-1 and
     * one of region-2 order at home, {@link LocalRegions#addRegion} starts region-3 and its MirrorMaker; neither
     * running region is stopped or told anything, and none of their requests meanwhile fails, every order is
     * confirmed. Both learn of region-3 from its announcement: their gateways forward region-3's customer to region-3.
     * Region-3 serves the catalog as region-1 does; it gets an allocation as a region short of stock does (it sells
     * its one unit and its rebalancer asks a peer, which sends what was asked), and sells it: its customer's order,
     * placed through region-1's gateway, is confirmed by region-3 and kept only there. The stock over the three
     * regions is what was put in.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void region3JoinsWhileRegion1And2SellGetsTheCatalogAndAnAllocationAndSellsIt() throws SQLException {
        String product = shop1.createProduct("Three-region kettle", JOIN_STOCK);
        awaitServedByRegion2(product);
        addStock(2, product, JOIN_STOCK);
        Join joined = Join.whileTheyOrder(List.of(signUp(1), signUp(2)), product, MultiRegionIT::forwardsToTheHomeRegion);
        LocalPlatform region3 = regions.region(3);
        joined.assertEveryOrderConfirmedAndNoRequestFailed(List.of("region-1", "region-2"));
        assertTheCatalogIsIdenticalInEveryRegion();

        // Its one unit sold, region-3 is short of the product: its rebalancer asks a peer, which sends the 10 asked.
        Customer customer = joined.newcomer();
        addStock(3, product, 1);
        Placed first = customer.place(Map.of(product, 1));
        customer.shop().awaitStatus(customer.token(), first.id(), "CONFIRMED");
        long soldAt = System.nanoTime();
        await("units sent to region-3 in answer to its request").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> inventory(3, product).path("received").asLong() == REBALANCING_TARGET);
        double allocatedSeconds = (System.nanoTime() - soldAt) / 1e9;
        long sentBy1 = inventory(1, product).path("sent").asLong();
        long sentBy2 = inventory(2, product).path("sent").asLong();
        assertThat(sentBy1 + sentBy2).as("units sent to region-3 by region-1 (%d) and region-2 (%d)", sentBy1, sentBy2)
                .isEqualTo(REBALANCING_TARGET);

        // Sold through region-1's gateway, which forwards region-3's customer to their home region.
        String key = UUID.randomUUID().toString();
        GatewayClient.Response placed = new Shop(region3, region1.gateway())
                .placedOrder(customer.token(), key, customer.orderBody(Map.of(product, 2)));
        assertThat(placed.raw().headers().allValues("Polystore-Region")).as("placed through region-1").containsExactly("region-3");
        Placed second = new Placed(customer, key, placed.json().path("id").asString(), Map.of(product, 2));
        customer.shop().awaitStatus(customer.token(), second.id(), "CONFIRMED");
        for (int region = 1; region <= 3; region++) {
            assertThat(ordersWithId(region(region), second.id())).as("region-3's order in region-%d's database", region)
                    .isEqualTo(region == 3 ? 1 : 0);
        }
        GatewayClient.Response listed = region2.gateway().get("/api/orders", customer.token());
        assertThat(listed.raw().headers().allValues("Polystore-Region")).as("listed through region-2").containsExactly("region-3");
        assertThat(listed.body()).contains(first.id(), second.id());

        List<Placed> orders = new ArrayList<>(joined.load().placed());
        orders.addAll(List.of(first, second));
        assertStockConserved(Map.of(product, List.of(JOIN_STOCK, JOIN_STOCK, 1)), orders, awaitTerminalAtHome(orders));
        System.out.printf("[regions] region-3: %d units sent by %s %.1f s after its sale made it short (rebalancer every %d"
                        + " ms), 2 of them sold through region-1's gateway; three regions %d MiB resident%n",
                REBALANCING_TARGET, sentBy1 > 0 ? "region-1" : "region-2", allocatedSeconds, REBALANCING_INTERVAL.toMillis(),
                regions.residentMemoryBytes() / (1024 * 1024));
    }

    /** The platform's gateway forwards the customer's listing of their orders to their home region, which answers. */
    private static boolean forwardsToTheHomeRegion(LocalPlatform platform, Customer customer) {
        GatewayClient.Response listed = platform.gateway().get("/api/orders", customer.token());
        return listed.status() == 200 && listed.raw().headers().allValues("Polystore-Region").equals(List.of(customer.homeRegion()));
    }

    /**
     * What happened around region-2's loss: when it was killed and back, its customers, and the orders it had
     * accepted before.
     */
    private static final class Outage {

        private final long killedAt;
        private final List<Customer> region2Customers;
        private final List<Placed> region2OrdersBeforeTheKill;
        private final long region2InFlightAtTheKill;
        /** Products region-1 created while region-2 was down. */
        private final List<String> createdMeanwhile = new ArrayList<>();
        private long restartBegan;
        private long upAt;

        Outage(long killedAt, List<Customer> region2Customers, List<Placed> region2OrdersBeforeTheKill, long inFlight) {
            this.killedAt = killedAt;
            this.region2Customers = region2Customers;
            this.region2OrdersBeforeTheKill = region2OrdersBeforeTheKill;
            this.region2InFlightAtTheKill = inFlight;
        }

        void restarting() {
            restartBegan = System.nanoTime();
        }

        void restarted() {
            upAt = System.nanoTime();
        }

        long killedAt() {
            return killedAt;
        }

        long upAt() {
            return upAt;
        }

        List<Customer> region2Customers() {
            return region2Customers;
        }

        List<Placed> region2OrdersBeforeTheKill() {
            return region2OrdersBeforeTheKill;
        }

        long region2InFlightAtTheKill() {
            return region2InFlightAtTheKill;
        }

        double restartSeconds() {
            return (upAt - restartBegan) / 1e9;
        }

        double downSeconds() {
            return (upAt - killedAt) / 1e9;
        }
    }

    /** Notes region-2's orders and which of them are not yet terminal, then kills region-2. */
    private static Outage killRegion2(Load load, List<Customer> customers) {
        List<Customer> region2Customers = customers.stream().filter(customer -> customer.homeRegion().equals("region-2")).toList();
        Set<String> terminal = new HashSet<>();
        for (Customer customer : region2Customers) {
            customer.shop().statuses(customer.token()).forEach((id, status) -> {
                if (Shop.TERMINAL.contains(status)) {
                    terminal.add(id);
                }
            });
        }
        long begin = System.nanoTime();
        regions.kill(2);
        System.out.printf("[regions] drill: region-2 killed (SIGKILL to its services and stores) in %d ms%n",
                (System.nanoTime() - begin) / 1_000_000);
        List<Placed> accepted = load.placed().stream().filter(order -> order.customer().homeRegion().equals("region-2")).toList();
        return new Outage(begin, region2Customers, accepted,
                accepted.stream().filter(order -> !terminal.contains(order.id())).count());
    }

    /**
     * While region-2 is down: region-1's catalog manager creates two products, changes a price and sends units of
     * {@code travelling} to region-2; region-2's customers read their order history through region-1's gateway, from
     * its replica, and are refused placing an order there (nothing is written in region-1).
     */
    private static void duringTheOutage(Outage outage, String travelling, String repriced) throws SQLException {
        String manager = region1.demoToken("CATALOG_MANAGER");
        for (int i = 0; i < 2; i++) {
            outage.createdMeanwhile.add(shop1.createProduct("Made while region-2 was down " + i, 5));
        }
        JsonNode cup = region1.gateway().get("/api/catalog/products/" + repriced, manager).json();
        Map<String, Object> dearer = new LinkedHashMap<>(Map.of("sku", cup.path("sku").asString(), "name", cup.path("name").asString(),
                "price", Map.of("amount", NEW_PRICE, "currency", "EUR"), "attributes", Map.of("suite", "e2e"),
                "categoryIds", List.of(), "active", true, "version", cup.path("version").asLong()));
        GatewayClient.Response changed = region1.gateway().put("/api/catalog/products/" + repriced, manager, dearer);
        assertThat(changed.status()).as("the price change: %s", changed.body()).isEqualTo(200);
        GatewayClient.Response sent = region1.gateway().post("/api/catalog/products/" + travelling + "/inventory/transfers",
                manager, Map.of("toRegion", "region-2", "quantity", TRANSFERRED));
        assertThat(sent.status()).as("the transfer to region-2 while it is down: %s", sent.body()).isEqualTo(201);
        readTheHistoryOfADownRegionFromRegion1(outage, travelling);
        outage.restarting();
    }

    /**
     * A customer of region-2, down, asks region-1's gateway for their orders: served from region-1's replica of
     * region-2's order history (orders region-2 had accepted before the kill, no personal data), and said so; placing
     * an order is refused with 503 {@code home-region-unavailable}, and region-1 keeps nothing of theirs.
     */
    private static void readTheHistoryOfADownRegionFromRegion1(Outage outage, String product) throws SQLException {
        Customer customer = outage.region2Customers().getFirst();
        Set<String> acceptedBeforeTheKill = outage.region2OrdersBeforeTheKill().stream()
                .filter(order -> order.customer().equals(customer)).map(Placed::id).collect(Collectors.toSet());
        GatewayClient.Response listed = region1.gateway().get("/api/orders", customer.token());
        assertThat(listed.status()).as("region-2's customer listing through region-1: %s", listed.body()).isEqualTo(200);
        assertThat(listed.raw().headers().allValues("Polystore-Served-From")).containsExactly("replica");
        assertThat(listed.raw().headers().allValues("Polystore-Replica-Of")).containsExactly("region-2");
        List<String> replicated = new ArrayList<>();
        listed.json().path("items").forEach(item -> replicated.add(item.path("id").asString()));
        assertThat(replicated).as("their orders in region-1's replica, of those region-2 accepted before the kill")
                .isNotEmpty().isSubsetOf(acceptedBeforeTheKill);

        GatewayClient.Response read = region1.gateway().get("/api/orders/" + replicated.getFirst(), customer.token());
        assertThat(read.status()).as("one of them read through region-1: %s", read.body()).isEqualTo(200);
        assertThat(read.raw().headers().allValues("Polystore-Served-From")).containsExactly("replica");
        assertThat(read.json().path("personalData").isNull()).as("no personal data in the replica").isTrue();
        assertThat(read.json().path("personalDataMasked").asBoolean()).isTrue();

        GatewayClient.Response refused = region1.gateway().post("/api/orders", customer.token(),
                Shop.orderBody(Map.of(product, 1)));
        assertThat(refused.status()).as("placing through region-1 while region-2 is down: %s", refused.body()).isEqualTo(503);
        assertThat(refused.json().path("type").asString()).isEqualTo("urn:polystore:problem:home-region-unavailable");
        assertThat(refused.json().path("homeRegion").asString()).isEqualTo("region-2");
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(count(region1, "SELECT count(*) FROM customer_order WHERE customer_id = ?", customer.username()))
                .as("orders of region-2's customer in region-1").isZero();
        System.out.printf("[regions] drill: region-2's customer read %d of their %d orders through region-1's replica while"
                + " region-2 was down%n", replicated.size(), acceptedBeforeTheKill.size());
    }

    /**
     * Waits until region-2 serves what region-1 wrote while it was down (the new products as region-1 serves them,
     * the new price) and holds the units sent to it; prints how long after its restart that was.
     */
    private static void awaitRegion2CaughtUp(Outage outage, String travelling, String repriced) {
        String customer = region2.demoToken("CUSTOMER");
        await("region-2 caught up with what region-1 wrote while it was down").atMost(REPLICATION_TIMEOUT)
                .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                    for (String product : outage.createdMeanwhile) {
                        GatewayClient.Response replica = region2.gateway().get("/api/catalog/products/" + product, customer);
                        assertThat(replica.status()).as("%s in region-2", product).isEqualTo(200);
                        // Each region's gateway accepts the tokens it issued.
                        assertThat(replica.json()).isEqualTo(region1.gateway().get("/api/catalog/products/" + product,
                                region1.demoToken("CUSTOMER")).json());
                    }
                    assertThat(region2.gateway().get("/api/catalog/products/" + repriced, customer).json().path("price").path("amount")
                            .asString()).as("the new price in region-2").isEqualTo(NEW_PRICE);
                    assertThat(inventory(2, travelling).path("available").asLong()).as("units sent to region-2").isEqualTo(TRANSFERRED);
                });
        System.out.printf("[regions] drill: region-2 caught up (the catalog changes and the transfer made while it was"
                + " down) %.1f s after it was ready again%n", (System.nanoTime() - outage.upAt()) / 1e9);
    }

    /**
     * Customers ordering 1 unit of a product at a time, each through their home region's gateway, until stopped; an
     * order whose request fails (an error status, or no answer) is sent again under its idempotency key until
     * accepted, as a client would.
     */
    private static final class Load {

        record Failure(String region, String key, long at, String what) {
        }

        private record Timed(Placed order, long at) {
        }

        private final List<Timed> placed = new CopyOnWriteArrayList<>();
        private final List<Failure> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean ordering = new AtomicBoolean(true);
        private final ExecutorService clients;
        private final List<Future<?>> sent = new ArrayList<>();

        private Load(int customers) {
            clients = Executors.newFixedThreadPool(customers);
        }

        static Load start(List<Customer> customers, String product) {
            Load load = new Load(customers.size());
            for (Customer customer : customers) {
                load.sent.add(load.clients.submit(() -> {
                    while (load.ordering.get()) {
                        load.placeRetrying(customer, Map.of(product, 1));
                        Thread.sleep(DRILL_PACE);
                    }
                    return null;
                }));
            }
            return load;
        }

        private void placeRetrying(Customer customer, Map<String, Integer> lines) throws InterruptedException {
            String key = UUID.randomUUID().toString();
            long giveUp = System.nanoTime() + Shop.SAGA_TIMEOUT.toNanos();
            while (System.nanoTime() < giveUp) {
                String what;
                try {
                    GatewayClient.Response response = customer.gateway().post("/api/orders", customer.token(),
                            customer.orderBody(lines), Map.of("Idempotency-Key", key));
                    if (response.status() == 201) {
                        placed.add(new Timed(new Placed(customer, key, response.json().path("id").asString(), lines), System.nanoTime()));
                        return;
                    }
                    what = response.status() + " " + response.body();
                } catch (UncheckedIOException noAnswer) {
                    what = noAnswer.getMessage();
                }
                failures.add(new Failure(customer.homeRegion(), key, System.nanoTime(), what));
                Thread.sleep(RETRY_PAUSE);
            }
            throw new AssertionError("order " + key + " of " + customer.username() + " not placed within " + Shop.SAGA_TIMEOUT);
        }

        /** Stops the customers once each has placed the order it is sending. */
        void stop() throws Exception {
            ordering.set(false);
            try (clients) {
                for (Future<?> client : sent) {
                    client.get();
                }
            }
        }

        List<Placed> placed() {
            return placed.stream().map(Timed::order).toList();
        }

        long placedBy(Customer customer) {
            return placed.stream().filter(timed -> timed.order().customer().equals(customer)).count();
        }

        long placedSince(Customer customer, long since) {
            return placed.stream().filter(timed -> timed.order().customer().equals(customer) && timed.at() >= since).count();
        }

        long placedBetween(String region, long from, long to) {
            return placed.stream().filter(timed -> timed.order().customer().homeRegion().equals(region))
                    .filter(timed -> timed.at() >= from && timed.at() < to).count();
        }

        /** Failed requests of the region's customers (each order's first ones: before the catalog's price reached it, too). */
        List<Failure> failuresBetween(String region, long from, long to) {
            return failures.stream().filter(failure -> failure.region().equals(region))
                    .filter(failure -> failure.at() >= from && failure.at() < to).toList();
        }
    }

    /**
     * A customer who signed up at their home region's gateway, the token they signed in for there, and a client of
     * that gateway (whose address stays when the region is started again).
     */
    private record Customer(String homeRegion, String username, String token, GatewayClient gateway) {

        /** Their home region's shop: its platform now (a region started again is another platform). */
        Shop shop() {
            return new Shop(regions.region(homeRegion), gateway);
        }

        /** Places the order at home with their own name and e-mail; sent again on a 5xx (see {@link Shop#placedOrder}). */
        Placed place(Map<String, Integer> lines) {
            String key = UUID.randomUUID().toString();
            String id = shop().placedOrder(token, key, orderBody(lines)).json().path("id").asString();
            return new Placed(this, key, id, lines);
        }

        Map<String, Object> orderBody(Map<String, Integer> lines) {
            return Shop.orderBody(lines, "Customer " + username, username + "@example.com");
        }
    }

    /** An order its customer's home region accepted (201), under this idempotency key. */
    private record Placed(Customer customer, String key, String id, Map<String, Integer> lines) {
    }

    /** A new customer, signed up and signed in at region {@code k}'s gateway, which homes them there. */
    private static Customer signUp(int region) {
        LocalPlatform platform = regions.region(region);
        String username = "e2e-r" + region + "-" + UUID.randomUUID().toString().substring(0, 8);
        GatewayClient.Response registered = platform.gateway().post("/api/account", null,
                Map.of("username", username, "password", PASSWORD));
        assertThat(registered.status()).as("sign up at region-%d: %s", region, registered.body()).isEqualTo(201);
        assertThat(registered.json().path("homeRegion").asString()).isEqualTo(LocalRegions.regionName(region));
        return new Customer(LocalRegions.regionName(region), username,
                GatewaySignIn.accessToken(platform.gatewayUrl(), username, PASSWORD), platform.gateway());
    }

    /** Region {@code k}'s catalog manager adds units of the product to that region's own stock. */
    private static void addStock(int region, String product, int units) {
        LocalPlatform platform = regions.region(region);
        GatewayClient.Response adjusted = platform.gateway().post("/api/catalog/products/" + product + "/inventory/adjustments",
                platform.demoToken("CATALOG_MANAGER"), Map.of("quantity", units, "reason", "delivery to region-" + region));
        assertThat(adjusted.status()).as("adjust region-%d's stock: %s", region, adjusted.body()).isEqualTo(200);
    }

    /** Waits until every order is terminal, each read by its customer at home; returns their statuses. */
    private static Map<String, String> awaitTerminalAtHome(List<Placed> orders) {
        Map<String, String> statuses = new HashMap<>();
        orders.stream().collect(Collectors.groupingBy(Placed::customer)).forEach((customer, theirs) ->
                statuses.putAll(customer.shop().awaitTerminal(customer.token(), theirs.stream().map(Placed::id).toList())));
        return statuses;
    }

    /**
     * Stock over the regions, once nothing is reserved and every unit sent has been received: in each region,
     * available + reserved + sold is what was put in there plus what it received less what it sent, and sold is
     * exactly what its confirmed orders bought; over all regions, available + reserved + sold is what was put in,
     * and no more was sold than that.
     *
     * @param putIn    per product, the units put into each region (region-1's first, one for every region running)
     *                 by creation and adjustments
     * @param orders   every order placed on these products, in any region
     * @param statuses their final statuses
     */
    private static void assertStockConserved(Map<String, List<Integer>> putIn, List<Placed> orders, Map<String, String> statuses) {
        int count = regions.platforms().size();
        Map<String, List<JsonNode>> stock = new LinkedHashMap<>();
        await("nothing reserved and no units in flight between the regions").atMost(Shop.SAGA_TIMEOUT)
                .pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (String product : putIn.keySet()) {
                        List<JsonNode> inventories = IntStream.rangeClosed(1, count).mapToObj(region -> inventory(region, product)).toList();
                        assertThat(inventories).as("inventories of %s", product)
                                .allSatisfy(inventory -> assertThat(inventory.path("reserved").asLong()).isZero());
                        assertThat(inventories.stream().mapToLong(inventory -> inventory.path("sent").asLong()).sum())
                                .as("units of %s sent, and received", product)
                                .isEqualTo(inventories.stream().mapToLong(inventory -> inventory.path("received").asLong()).sum());
                        stock.put(product, inventories);
                    }
                });
        putIn.forEach((product, units) -> {
            assertThat(units).as("units of %s put into each region", product).hasSize(count);
            long heldOverall = 0;
            long soldOverall = 0;
            for (int region = 1; region <= count; region++) {
                JsonNode inventory = stock.get(product).get(region - 1);
                String home = LocalRegions.regionName(region);
                long held = inventory.path("available").asLong() + inventory.path("reserved").asLong() + inventory.path("sold").asLong();
                long bought = orders.stream().filter(order -> order.customer().homeRegion().equals(home))
                        .filter(order -> "CONFIRMED".equals(statuses.get(order.id())))
                        .mapToLong(order -> order.lines().getOrDefault(product, 0)).sum();
                assertThat(held).as("available + reserved + sold of %s in %s: %s", product, home, inventory)
                        .isEqualTo(units.get(region - 1) + inventory.path("received").asLong() - inventory.path("sent").asLong());
                assertThat(inventory.path("sold").asLong()).as("sold of %s in %s: what its confirmed orders bought", product, home)
                        .isEqualTo(bought);
                heldOverall += held;
                soldOverall += inventory.path("sold").asLong();
            }
            long total = units.stream().mapToLong(Integer::longValue).sum();
            assertThat(heldOverall).as("%s over the %d regions: what was put in", product, count).isEqualTo(total);
            assertThat(soldOverall).as("%s sold over the %d regions", product, count).isLessThanOrEqualTo(total);
        });
    }

    /** The product's inventory in region {@code k}, as its catalog manager reads it (available, reserved, sold, sent, received). */
    private static JsonNode inventory(int region, String product) {
        LocalPlatform platform = regions.region(region);
        GatewayClient.Response response = platform.gateway().get("/api/catalog/products/" + product + "/inventory",
                platform.demoToken("CATALOG_MANAGER"));
        assertThat(response.status()).as("inventory of %s in region-%d: %s", product, region, response.body()).isEqualTo(200);
        return response.json();
    }

    /**
     * Data residency, checked in both regions' PostgreSQL: the customer's orders and data key exist in their home
     * region's order-service database and nowhere else, and no row of any table of any database of the other region
     * mentions them (their username, which is also in their e-mail).
     */
    private static void assertOrdersAndPersonalDataOnlyInTheHomeRegion(Customer customer) {
        for (int region = 1; region <= 2; region++) {
            LocalPlatform platform = regions.region(region);
            boolean home = LocalRegions.regionName(region).equals(customer.homeRegion());
            long orders = count(platform, "SELECT count(*) FROM customer_order WHERE customer_id = ?", customer.username());
            long keys = count(platform, "SELECT count(*) FROM keyvault.customer_key WHERE customer_id = ?", customer.username());
            Map<String, Long> mentions = rowsMentioning(platform, customer.username());
            if (home) {
                assertThat(orders).as("orders of %s in their home region", customer.username()).isPositive();
                assertThat(keys).as("the personal-data key of %s in their home region", customer.username()).isOne();
                assertThat(mentions).as("rows mentioning %s at home", customer.username()).containsKey("orders.public.customer_order");
            } else {
                assertThat(orders).as("orders of %s (homed in %s) in region-%d", customer.username(), customer.homeRegion(), region).isZero();
                assertThat(keys).as("personal-data keys of %s in region-%d", customer.username(), region).isZero();
                assertThat(mentions).as("rows mentioning %s (homed in %s) in region-%d's databases", customer.username(),
                        customer.homeRegion(), region).isEmpty();
            }
        }
    }

    private static long count(LocalPlatform platform, String sql, String parameter) {
        try (Connection connection = orders(platform); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " on " + platform.infrastructure().postgres().jdbcUrl("orders"), e);
        }
    }

    /** Per table ({@code database.schema.table}) of every database of the platform, the rows whose text holds {@code text}. */
    private static Map<String, Long> rowsMentioning(LocalPlatform platform, String text) {
        PostgresServer postgres = platform.infrastructure().postgres();
        Map<String, Long> mentions = new TreeMap<>();
        for (String database : DATABASES) {
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password())) {
                List<String> tables = new ArrayList<>();
                try (ResultSet result = connection.createStatement().executeQuery("""
                        SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
                        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')""")) {
                    while (result.next()) {
                        tables.add(result.getString(1));
                    }
                }
                for (String table : tables) {
                    // The names come from the catalog, quoted by it; the text is a parameter.
                    try (PreparedStatement statement = connection.prepareStatement(
                            "SELECT count(*) FROM " + table + " AS r WHERE strpos(r::text, ?) > 0")) {
                        statement.setString(1, text);
                        try (ResultSet result = statement.executeQuery()) {
                            result.next();
                            if (result.getLong(1) > 0) {
                                mentions.put(database + "." + table, result.getLong(1));
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException("Searching " + postgres.jdbcUrl(database) + " for " + text, e);
            }
        }
        return mentions;
    }

    /**
     * Waits until every region's gateway serves the catalog as region-1's does: every product's whole JSON (inactive
     * ones too) and every category.
     */
    private static void assertTheCatalogIsIdenticalInEveryRegion() {
        for (int region = 2; region <= regions.platforms().size(); region++) {
            LocalPlatform replica = region(region);
            await(LocalRegions.regionName(region) + "'s catalog identical to region-1's").atMost(REPLICATION_TIMEOUT)
                    .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(catalog(replica)).isEqualTo(catalog(region(1))));
        }
    }

    /** The catalog as the platform's gateway serves it to its catalog manager: each product's detail and the categories, by id. */
    private static Map<String, JsonNode> catalog(LocalPlatform platform) {
        String manager = platform.demoToken("CATALOG_MANAGER");
        Map<String, JsonNode> catalog = new TreeMap<>();
        String cursor = null;
        do {
            GatewayClient.Response page = platform.gateway().get("/api/catalog/products?includeInactive=true&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), manager);
            assertThat(page.status()).as("products: %s", page.body()).isEqualTo(200);
            for (JsonNode item : page.json().path("items")) {
                String id = item.path("id").asString();
                catalog.put("product " + id, platform.gateway().get("/api/catalog/products/" + id, manager).json());
            }
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
        } while (cursor != null);
        platform.gateway().get("/api/catalog/categories", manager).json()
                .forEach(category -> catalog.put("category " + category.path("id").asString(), category));
        return catalog;
    }

    private static LocalPlatform region(int region) {
        return regions.region(region);
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
