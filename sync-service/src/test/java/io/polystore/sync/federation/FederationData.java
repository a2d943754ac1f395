package io.polystore.sync.federation;

import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.sync.support.SourceStores;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The orders and the catalog the federation tests and benchmark read, written as order-service and catalog-service
 * store them, in bulk. A small hand-checked set in June 2025 (the reports' answers are worked out in the tests),
 * and a bulk set in 2020: {@link #BULK_PRODUCTS} products and {@link #BULK_ORDERS} orders of one line each.
 */
final class FederationData {

    static final Instant JUNE = Instant.parse("2025-06-01T00:00:00Z");
    static final Instant JULY = Instant.parse("2025-07-01T00:00:00Z");
    static final int BULK_PRODUCTS = 1_000;
    static final int BULK_ORDERS = 10_000;

    private static boolean seeded;

    private FederationData() {
    }

    /** Once per JVM: the stores are shared by every test class. */
    static synchronized void seed() {
        if (seeded) {
            return;
        }
        try (SurrealClient catalog = SourceStores.surrealCatalog()) {
            seedCatalog(catalog);
            seedOrders(catalog);
        }
        seeded = true;
    }

    /** Quantity of bulk order {@code i}; its one line is bulk product {@code i % 1000} at 2.00 a unit. */
    static int bulkQuantity(int order) {
        return order % 3 + 1;
    }

    static String bulkProduct(int index) {
        return "bulk-%04d".formatted(index);
    }

    private static void seedCatalog(SurrealClient catalog) {
        Instant at = Instant.parse("2025-01-01T00:00:00Z");
        category(catalog, "electronics", null, List.of(), at);
        category(catalog, "computers", "electronics", List.of("electronics"), at);
        category(catalog, "laptops", "computers", List.of("electronics", "computers"), at);
        category(catalog, "audio", "electronics", List.of("electronics"), at);
        category(catalog, "books", null, List.of(), at);
        category(catalog, "bulk", null, List.of(), at);
        List<Map<String, Object>> products = new ArrayList<>();
        List<Map<String, Object>> inventory = new ArrayList<>();
        addProduct(products, inventory, "fed-laptop", "1000.00", List.of("laptops"), 7, 1, at);
        addProduct(products, inventory, "fed-mouse", "25.00", List.of("computers"), 40, 0, at);
        addProduct(products, inventory, "fed-headphones", "200.00", List.of("audio", "electronics"), 0, 0, at);
        addProduct(products, inventory, "fed-novel", "10.00", List.of("books"), 12, 2, at);
        for (int i = 0; i < BULK_PRODUCTS; i++) {
            addProduct(products, inventory, bulkProduct(i), "2.00", List.of("bulk"), i, 0, at);
        }
        catalog.query("INSERT INTO product $products; INSERT INTO inventory $inventory;",
                Map.of("products", products, "inventory", inventory)).requireSuccess();
        catalog.query("RELATE $laptop->bought_together->$mouse SET weight = 1", Map.of(
                "laptop", RecordId.of("product", "fed-laptop"), "mouse", RecordId.of("product", "fed-mouse"))).requireSuccess();
    }

    private static void category(SurrealClient catalog, String key, String parent, List<String> ancestors, Instant at) {
        Map<String, Object> content = new LinkedHashMap<>();
        content.put("name", key.substring(0, 1).toUpperCase() + key.substring(1));
        if (parent != null) {
            content.put("parent", RecordId.of("category", parent));
        }
        content.put("ancestors", ancestors.stream().map(id -> RecordId.of("category", id)).toList());
        content.put("created_at", at);
        content.put("updated_at", at);
        catalog.query("CREATE ONLY $id CONTENT $content", Map.of("id", RecordId.of("category", key), "content", content))
                .requireSuccess();
    }

    private static void addProduct(List<Map<String, Object>> products, List<Map<String, Object>> inventory, String key,
                                   String price, List<String> categories, int available, int reserved, Instant at) {
        RecordId id = RecordId.of("product", key);
        products.add(Map.of("id", id, "sku", "SKU-" + key, "name", "Product " + key,
                "price", Map.of("amount", new BigDecimal(price), "currency", "EUR"),
                "categories", categories.stream().map(category -> RecordId.of("category", category)).toList(),
                "active", true, "version", 1, "created_at", at, "updated_at", at));
        inventory.add(Map.of("id", RecordId.of("inventory", key), "product", id, "available", available,
                "reserved", reserved, "sold", 0, "updated_at", at));
    }

    /**
     * As the saga leaves them, so that reconciliation (which shares these stores in the tests) finds no drift: every
     * order has its saga row, every CONFIRMED order a CONFIRMED reservation of the same lines.
     */
    private static void seedOrders(SurrealClient catalog) {
        var orders = SourceStores.orders();
        // The hand-checked set: CONFIRMED in June, one CANCELLED in June, one CONFIRMED in July.
        order(orders, 1, "CONFIRMED", "2025-06-05T10:00:00Z", Map.of("fed-laptop", 1, "fed-mouse", 2),
                Map.of("fed-laptop", "1000.00", "fed-mouse", "25.00"));
        order(orders, 2, "CONFIRMED", "2025-06-10T10:00:00Z", Map.of("fed-laptop", 1, "fed-headphones", 1),
                Map.of("fed-laptop", "1000.00", "fed-headphones", "200.00"));
        order(orders, 3, "CONFIRMED", "2025-06-20T10:00:00Z", Map.of("fed-novel", 3, "fed-mouse", 1),
                Map.of("fed-novel", "10.00", "fed-mouse", "25.00"));
        order(orders, 4, "CANCELLED", "2025-06-15T10:00:00Z", Map.of("fed-laptop", 5), Map.of("fed-laptop", "1000.00"));
        order(orders, 5, "CONFIRMED", "2025-07-02T10:00:00Z", Map.of("fed-laptop", 1, "fed-novel", 1),
                Map.of("fed-laptop", "1000.00", "fed-novel", "10.00"));
        orders.sql("""
                INSERT INTO customer_order (id, customer_id, status, total_amount, currency, idempotency_key,
                                            request_fingerprint, personal_data_key_id, personal_data, version,
                                            placed_at, updated_at)
                SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'bulk-customer', 'CONFIRMED',
                       2 * (g % 3 + 1), 'EUR', 'bulk-' || g, 'fingerprint', gen_random_uuid(), '\\x00', 1,
                       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 minute',
                       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 minute'
                FROM generate_series(0, :last) g
                """).param("last", BULK_ORDERS - 1).update();
        orders.sql("""
                INSERT INTO order_line (order_id, line_no, product_id, sku, product_name, quantity, unit_price, line_total)
                SELECT ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 1,
                       'bulk-' || lpad((g % :products)::text, 4, '0'), 'sku', 'name', g % 3 + 1, 2, 2 * (g % 3 + 1)
                FROM generate_series(0, :last) g
                """).param("products", BULK_PRODUCTS).param("last", BULK_ORDERS - 1).update();
        orders.sql("""
                INSERT INTO order_saga (order_id, state, reservation_id, stock_released, deadline, attempts, started_at,
                                        updated_at, version)
                SELECT o.id, o.status, o.id::text, false, NULL, 0, o.placed_at, o.placed_at, 1
                FROM customer_order o
                WHERE (o.id::text LIKE '00000000-0000-4000-8000-%' OR o.id::text LIKE '00000000-0000-4000-9000-%')
                """).update();
        List<Map<String, Object>> reservations = orders.sql("""
                        SELECT o.id::text AS id, o.placed_at, l.product_id, l.quantity
                        FROM customer_order o JOIN order_line l ON l.order_id = o.id
                        WHERE o.status = 'CONFIRMED'
                          AND (o.id::text LIKE '00000000-0000-4000-8000-%' OR o.id::text LIKE '00000000-0000-4000-9000-%')
                        ORDER BY o.id, l.line_no""")
                .query((row, n) -> Map.<String, Object>of("id", row.getString(1),
                        "at", row.getTimestamp(2).toInstant(), "product", row.getString(3), "quantity", row.getInt(4)))
                .list();
        Map<String, Map<String, Object>> byOrder = new LinkedHashMap<>();
        for (Map<String, Object> line : reservations) {
            String id = (String) line.get("id");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> lines = (List<Map<String, Object>>) byOrder.computeIfAbsent(id, key -> new LinkedHashMap<>(Map.of(
                    "id", RecordId.of("reservation", key), "order_id", key, "status", "CONFIRMED", "lines", new ArrayList<>(),
                    "created_at", line.get("at"), "updated_at", line.get("at")))).get("lines");
            lines.add(Map.of("product_id", line.get("product"), "quantity", line.get("quantity")));
        }
        List<Map<String, Object>> all = List.copyOf(byOrder.values());
        for (int from = 0; from < all.size(); from += 1_000) {
            catalog.query("INSERT INTO reservation $reservations",
                    Map.of("reservations", all.subList(from, Math.min(from + 1_000, all.size())))).requireSuccess();
        }
    }

    private static void order(org.springframework.jdbc.core.simple.JdbcClient orders, int number, String status,
                              String placedAt, Map<String, Integer> quantities, Map<String, String> prices) {
        String id = "00000000-0000-4000-9000-%012d".formatted(number);
        BigDecimal total = BigDecimal.ZERO;
        for (var line : quantities.entrySet()) {
            total = total.add(new BigDecimal(prices.get(line.getKey())).multiply(BigDecimal.valueOf(line.getValue())));
        }
        orders.sql("""
                        INSERT INTO customer_order (id, customer_id, status, total_amount, currency, idempotency_key,
                                                    request_fingerprint, personal_data_key_id, personal_data, version,
                                                    placed_at, updated_at)
                        VALUES (:id::uuid, 'customer-' || :number, :status, :total, 'EUR', :id, 'fingerprint',
                                gen_random_uuid(), '\\x00', 1, :placed::timestamptz, :placed::timestamptz)
                        """)
                .param("id", id).param("number", number).param("status", status).param("total", total)
                .param("placed", placedAt).update();
        int lineNo = 0;
        for (var line : new java.util.TreeMap<>(quantities).entrySet()) {
            BigDecimal price = new BigDecimal(prices.get(line.getKey()));
            orders.sql("""
                            INSERT INTO order_line (order_id, line_no, product_id, sku, product_name, quantity, unit_price, line_total)
                            VALUES (:id::uuid, :lineNo, :product, :product, :product, :quantity, :price, :total)
                            """)
                    .param("id", id).param("lineNo", ++lineNo).param("product", line.getKey())
                    .param("quantity", line.getValue()).param("price", price)
                    .param("total", price.multiply(BigDecimal.valueOf(line.getValue()))).update();
        }
    }
}
