package io.polystore.testkit.platform;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The demo catalog: a category tree of four roots with subcategories, 200 products priced in EUR with stock and
 * attributes, and {@code related} edges between neighbours in each subcategory. Generated, always the same, and
 * loaded through the gateway as a catalog manager would, only into an empty catalog. With several regions it is
 * loaded into the catalog region only; the others receive it by replication and get their own stock
 * ({@link #stockReplica}).
 */
public final class DemoCatalog {

    public static final int PRODUCTS = 200;
    private static final int PARALLEL_REQUESTS = 4;

    /** Root, then its subcategories, each with the nouns its products are named after. */
    private static final Map<String, Map<String, List<String>>> TREE = tree();
    private static final List<String> ADJECTIVES = List.of("Classic", "Compact", "Deluxe", "Everyday", "Nordic",
            "Pro", "Quiet", "Rugged", "Smart", "Urban");
    private static final List<String> BRANDS = List.of("Acme", "Borealis", "Corvid", "Dunmore", "Elbe");
    private static final List<String> COLOURS = List.of("black", "white", "red", "blue", "green", "grey");

    private final GatewayClient gateway;
    private final String managerToken;

    /** @param managerToken a CATALOG_MANAGER's token */
    public DemoCatalog(GatewayClient gateway, String managerToken) {
        this.gateway = gateway;
        this.managerToken = managerToken;
    }

    /** Loads the catalog unless it has products already; returns the number of products created (0 or 200). */
    public int loadIfEmpty() {
        GatewayClient.Response existing = gateway.get("/api/catalog/products?limit=1&includeInactive=true", managerToken);
        require(existing, 200, "read the catalog");
        if (!existing.json().path("items").isEmpty()) {
            return 0;
        }
        List<String> subcategoryIds = new ArrayList<>();
        List<List<String>> nouns = new ArrayList<>();
        TREE.forEach((root, subcategories) -> {
            String rootId = createCategory(root, null);
            subcategories.forEach((name, names) -> {
                subcategoryIds.add(createCategory(name, rootId));
                nouns.add(names);
            });
        });
        List<Map<String, Object>> products = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            int category = i % subcategoryIds.size();
            int round = i / subcategoryIds.size();
            String noun = nouns.get(category).get(round % nouns.get(category).size());
            String name = ADJECTIVES.get(round % ADJECTIVES.size()) + " " + noun + " " + (char) ('A' + round / ADJECTIVES.size());
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("sku", sku(i));
            product.put("name", name);
            product.put("description", "A demo product: " + name.toLowerCase() + ".");
            product.put("price", Map.of("amount", new BigDecimal(4 + (i * 37) % 400).add(new BigDecimal("0.99")), "currency", "EUR"));
            product.put("attributes", Map.of("brand", BRANDS.get(i % BRANDS.size()),
                    "colour", COLOURS.get(i % COLOURS.size()), "weightGrams", 100 + (i * 53) % 4900));
            product.put("categoryIds", List.of(subcategoryIds.get(category)));
            product.put("initialStock", initialStock(i));
            products.add(product);
        }
        List<String> productIds = inParallel(products.stream().map(product -> (Callable<String>) () -> {
            GatewayClient.Response created = gateway.post("/api/catalog/products", managerToken, product);
            require(created, 201, "create product " + product.get("sku"));
            return created.json().path("id").asString();
        }).toList());
        // Each product is related to the next one of its subcategory (the link goes both ways).
        List<Callable<String>> links = new ArrayList<>();
        for (int i = 0; i + subcategoryIds.size() < PRODUCTS; i++) {
            String path = "/api/catalog/products/" + productIds.get(i) + "/related/" + productIds.get(i + subcategoryIds.size());
            links.add(() -> {
                GatewayClient.Response related = gateway.put(path, managerToken, null);
                if (!related.isSuccess()) {
                    throw new IllegalStateException("Cannot relate demo products (" + path + "): " + related.status() + " " + related.body());
                }
                return path;
            });
        }
        inParallel(links);
        return PRODUCTS;
    }

    /**
     * In a region that receives the catalog by replication: waits until all demo products have arrived, then gives
     * each one that never had stock here (available, reserved and sold all 0) the stock the demo gives it in the
     * catalog region, through this region's inventory API (stock is regional: replication carries none). A product
     * that had stock here keeps it, so a restart changes nothing.
     *
     * @return the number of products given stock (0 when all had some)
     * @throws IllegalStateException when the demo products have not all arrived within {@code timeout}, saying how
     *                               many did
     */
    public int stockReplica(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> idsBySku = demoProducts();
        while (idsBySku.size() < PRODUCTS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(idsBySku.size() + " of the " + PRODUCTS + " demo products arrived by"
                        + " replication within " + timeout.toSeconds() + " s");
            }
            pause(Duration.ofSeconds(2));
            idsBySku = demoProducts();
        }
        List<Callable<String>> stocking = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            String id = idsBySku.get(sku(i));
            int stock = initialStock(i);
            stocking.add(() -> {
                String inventory = "/api/catalog/products/" + id + "/inventory";
                GatewayClient.Response current = gateway.get(inventory, managerToken);
                require(current, 200, "read the stock of " + id);
                boolean neverStocked = current.json().path("available").asInt() == 0
                        && current.json().path("reserved").asInt() == 0 && current.json().path("sold").asInt() == 0;
                if (!neverStocked) {
                    return "";
                }
                require(gateway.post(inventory + "/adjustments", managerToken,
                        Map.of("quantity", stock, "reason", "demo stock of this region")), 200, "stock " + id);
                return id;
            });
        }
        return (int) inParallel(stocking).stream().filter(id -> !id.isEmpty()).count();
    }

    /** The demo products this region's catalog serves so far: id by SKU. */
    private Map<String, String> demoProducts() {
        Map<String, String> idsBySku = new LinkedHashMap<>();
        String cursor = null;
        do {
            GatewayClient.Response page = gateway.get("/api/catalog/products?q=DEMO-&includeInactive=true&limit=100"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), managerToken);
            require(page, 200, "read the catalog");
            page.json().path("items").forEach(item -> idsBySku.put(item.path("sku").asString(), item.path("id").asString()));
            JsonNode next = page.json().path("nextCursor");
            cursor = next.isNull() || next.isMissingNode() ? null : next.asString();
        } while (cursor != null);
        return idsBySku;
    }

    /** The demo product {@code i}'s SKU, 0 for the first: DEMO-0001. */
    static String sku(int i) {
        return "DEMO-%04d".formatted(i + 1);
    }

    /** The stock the demo gives product {@code i} in every region. */
    static int initialStock(int i) {
        return 20 + (i * 13) % 180;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the demo catalog", e);
        }
    }

    /** The id of some demo product in stock, for the example order the launcher prints. */
    public String anyProductId() {
        GatewayClient.Response page = gateway.get("/api/catalog/products?q=DEMO-0001&limit=1", managerToken);
        require(page, 200, "find a demo product");
        return page.json().path("items").path(0).path("id").asString();
    }

    private String createCategory(String name, String parentId) {
        Map<String, Object> category = new LinkedHashMap<>();
        category.put("name", name);
        if (parentId != null) {
            category.put("parentId", parentId);
        }
        GatewayClient.Response created = gateway.post("/api/catalog/categories", managerToken, category);
        require(created, 201, "create category " + name);
        return created.json().path("id").asString();
    }

    /** A few requests at a time: the load is bound by the gateway's per-user rate limit, not by the services. */
    private static List<String> inParallel(List<Callable<String>> requests) {
        try (ExecutorService senders = Executors.newFixedThreadPool(PARALLEL_REQUESTS)) {
            List<String> results = new ArrayList<>();
            for (Future<String> result : senders.invokeAll(requests)) {
                results.add(result.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while loading the demo catalog", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
        }
    }

    private static void require(GatewayClient.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException("Cannot " + what + " for the demo catalog: " + response.status() + " " + response.body());
        }
    }

    private static Map<String, Map<String, List<String>>> tree() {
        Map<String, Map<String, List<String>>> tree = new LinkedHashMap<>();
        tree.put("Electronics", ordered(
                "Phones", List.of("Phone", "Phone Case", "Charger"),
                "Laptops", List.of("Laptop", "Laptop Sleeve", "Docking Station"),
                "Audio", List.of("Headphones", "Speaker", "Earbuds")));
        tree.put("Home", ordered(
                "Kitchen", List.of("Kettle", "Chef's Knife", "Frying Pan"),
                "Furniture", List.of("Desk", "Chair", "Bookshelf"),
                "Lighting", List.of("Desk Lamp", "Floor Lamp", "Light Strip")));
        tree.put("Outdoors", ordered(
                "Camping", List.of("Tent", "Sleeping Bag", "Camping Stove"),
                "Cycling", List.of("Bike Helmet", "Bike Light", "Pannier")));
        tree.put("Books", ordered(
                "Fiction", List.of("Novel", "Short Stories", "Poetry Collection"),
                "Technology", List.of("Programming Guide", "Database Handbook", "Networking Primer")));
        return tree;
    }

    /** Subcategory names and their nouns, alternating, in this order (Map.of would not keep it). */
    @SuppressWarnings("unchecked")
    private static Map<String, List<String>> ordered(Object... nameAndNouns) {
        Map<String, List<String>> subcategories = new LinkedHashMap<>();
        for (int i = 0; i < nameAndNouns.length; i += 2) {
            subcategories.put((String) nameAndNouns[i], (List<String>) nameAndNouns[i + 1]);
        }
        return subcategories;
    }
}
