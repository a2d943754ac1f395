package io.polystore.catalog.product;

import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogHttp.Reply;
import io.polystore.catalog.support.CatalogIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.polystore.catalog.product.ProductApiIT.product;
import static io.polystore.catalog.product.ProductApiIT.uniqueSku;
import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class ProductSearchIT {

    /** SurrealQL and other trouble in every field: all of it must be stored and found literally. */
    private static final List<String> HOSTILE = List.of(
            "'; DELETE product; --",
            "\"); REMOVE TABLE product; //",
            "$doc.sku",
            "product:⟨x⟩",
            "RETURN 1; THROW 'boom'",
            "` ⟩ \\ /* */ #",
            "SELECT * FROM inventory WHERE 1=1",
            "Ωmega ☃ 🚀 ñ 中文",
            "{ \"a\": 1 }",
            "<string> 1 + 1");

    @Value("${local.server.port}")
    int port;

    CatalogHttp http;
    String marker;

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
        marker = "m" + UUID.randomUUID().toString().replace("-", "");
    }

    @Test
    void findsTextInNameDescriptionOrSkuIgnoringCase() {
        String inName = create(marker + "-Kettle", "12", Map.of(), "plain");
        String inDescription = create("Teapot", "15", Map.of(), "Goes with the " + marker.toUpperCase() + " set");

        assertThat(ids(search("q=" + marker))).containsExactlyInAnyOrder(inName, inDescription);
    }

    @Test
    void filtersByCategoryIncludingItsDescendants() {
        String root = category("Kitchen " + marker, null);
        String child = category("Pots " + marker, root);
        String grandChild = category("Small pots " + marker, child);
        String other = category("Garden " + marker, null);
        String inRoot = create(marker + " spoon", "2", Map.of(), null, root);
        String inGrandChild = create(marker + " pot", "20", Map.of(), null, grandChild);
        create(marker + " rake", "9", Map.of(), null, other);

        assertThat(ids(search("category=" + root))).containsExactlyInAnyOrder(inRoot, inGrandChild);
        assertThat(ids(search("category=" + child))).containsExactly(inGrandChild);
        assertThat(ids(search("category=no-such-category&q=" + marker))).isEmpty();
    }

    @Test
    void filtersByPriceRangeAndAttributes() {
        String cheapRed = create(marker + " a", "5.00", Map.of("colour", "red", "size", 40), null);
        String midRed = create(marker + " b", "15.50", Map.of("colour", "red", "size", 42), null);
        String midBlue = create(marker + " c", "16", Map.of("colour", "blue", "size", 42), null);
        create(marker + " d", "99", Map.of("colour", "red"), null);

        assertThat(ids(search("q=" + marker + "&minPrice=10&maxPrice=20"))).containsExactlyInAnyOrder(midRed, midBlue);
        assertThat(ids(search("q=" + marker + "&maxPrice=15.5&attr=colour:red"))).containsExactlyInAnyOrder(cheapRed, midRed);
        assertThat(ids(search("q=" + marker + "&attr=colour:red&attr=size:42"))).containsExactly(midRed);
        assertThat(ids(search("q=" + marker + "&currency=USD"))).isEmpty();
    }

    @Test
    void pagesThroughResultsWithAStableCursor() {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(create(marker + " item " + i, String.valueOf(10 - i), Map.of(), null));
        }

        List<String> byName = pages("q=" + marker + "&limit=3", 3);
        List<String> byPrice = pages("q=" + marker + "&limit=3&sort=price", 3);

        assertThat(byName).containsExactlyElementsOf(created);
        assertThat(byPrice).containsExactlyElementsOf(created.reversed());
    }

    @Test
    void aCursorStaysValidWhileProductsAreAddedBeforeIt() {
        for (int i = 0; i < 4; i++) {
            create(marker + " n" + i, "1", Map.of(), null);
        }
        Reply first = http.get("/products?q=" + marker + "&limit=2");
        create(marker + " a-first", "1", Map.of(), null);

        Reply second = http.get("/products?q=" + marker + "&limit=2&cursor=" + first.json().path("nextCursor").asString());

        assertThat(names(second)).containsExactly(marker + " n2", marker + " n3");
    }

    @Test
    void hidesInactiveProductsUnlessAsked() {
        String active = create(marker + " on", "1", Map.of(), null);
        Map<String, Object> body = product(uniqueSku(), marker + " off", "1", "EUR");
        body.put("active", false);
        String inactive = http.post("/products", body).json().path("id").asString();

        assertThat(ids(search("q=" + marker))).containsExactly(active);
        assertThat(ids(search("q=" + marker + "&includeInactive=true"))).containsExactlyInAnyOrder(active, inactive);
    }

    @Test
    void storesAndFindsHostileTextLiterally() {
        List<String> ids = new ArrayList<>();
        for (String hostile : HOSTILE) {
            Map<String, Object> body = product(marker + hostile, marker + " " + hostile, "1", "EUR");
            body.put("description", hostile);
            body.put("attributes", Map.of(hostile, hostile, "plain", hostile));
            Reply created = http.post("/products", body);
            assertThat(created.status()).as(hostile).isEqualTo(201);
            ids.add(created.json().path("id").asString());
        }

        for (int i = 0; i < HOSTILE.size(); i++) {
            String hostile = HOSTILE.get(i);
            JsonNode stored = http.get("/products/" + ids.get(i)).json();
            assertThat(stored.path("name").asString()).isEqualTo(marker + " " + hostile);
            assertThat(stored.path("sku").asString()).isEqualTo(marker + hostile);
            assertThat(stored.path("description").asString()).isEqualTo(hostile);
            assertThat(stored.path("attributes").path(hostile).asString()).isEqualTo(hostile);

            List<String> found = ids(search("q=" + encode(marker + " " + hostile)));
            assertThat(found).as("search for %s", hostile).containsExactly(ids.get(i));
            assertThat(ids(search("q=" + marker + "&attr=" + encode("plain:" + hostile)))).as(hostile).containsExactly(ids.get(i));
        }
        assertThat(ids(search("q=" + marker + "&limit=100"))).hasSize(HOSTILE.size());
    }

    @Test
    void refusesBadSearchParameters() {
        assertThat(http.get("/products?cursor=not-a-cursor").json().path("errors").findValuesAsString("field")).contains("cursor");
        assertThat(http.get("/products?minPrice=-1").status()).isEqualTo(400);
        assertThat(http.get("/products?minPrice=5&maxPrice=1").json().path("errors").findValuesAsString("field")).contains("minPrice");
        assertThat(http.get("/products?limit=0").status()).isEqualTo(400);
        assertThat(http.get("/products?sort=colour").status()).isEqualTo(400);
        assertThat(http.get("/products?attr=no-colon").json().path("errors").findValuesAsString("field")).contains("attr[0]");
        String nameCursor = http.get("/products?q=" + marker + "&limit=1").json().path("nextCursor").asString(null);
        if (nameCursor != null) {
            assertThat(http.get("/products?sort=price&cursor=" + nameCursor).status()).isEqualTo(400);
        }
    }

    private List<String> pages(String query, int pageSize) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = http.get("/products?" + query + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().path("items").size()).isLessThanOrEqualTo(pageSize);
            all.addAll(ids(page));
            cursor = page.json().path("nextCursor").isNull() ? null : page.json().path("nextCursor").asString(null);
            pages++;
        } while (cursor != null && pages < 10);
        return all;
    }

    private Reply search(String query) {
        Reply reply = http.get("/products?" + query);
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply;
    }

    private static List<String> ids(Reply reply) {
        List<String> ids = new ArrayList<>();
        reply.json().path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static List<String> names(Reply reply) {
        List<String> names = new ArrayList<>();
        reply.json().path("items").forEach(item -> names.add(item.path("name").asString()));
        return names;
    }

    private String category(String name, String parentId) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("name", name);
        if (parentId != null) {
            body.put("parentId", parentId);
        }
        Reply created = http.post("/categories", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private String create(String name, String amount, Map<String, Object> attributes, String description, String... categoryIds) {
        Map<String, Object> body = product(uniqueSku(), name, amount, "EUR");
        body.put("attributes", attributes);
        if (description != null) {
            body.put("description", description);
        }
        body.put("categoryIds", List.of(categoryIds));
        Reply created = http.post("/products", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
