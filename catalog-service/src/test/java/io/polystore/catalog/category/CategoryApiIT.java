package io.polystore.catalog.category;

import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogHttp.Reply;
import io.polystore.catalog.support.CatalogIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class CategoryApiIT {

    @Value("${local.server.port}")
    int port;

    CatalogHttp http;

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
    }

    @Test
    void buildsATreeWhereEachCategoryKnowsItsAncestors() {
        String root = create("Home", null);
        String child = create("Kitchen", root);
        String grandChild = create("Knives", child);

        Reply read = http.get("/categories/" + grandChild);

        assertThat(read.json().path("parentId").asString()).isEqualTo(child);
        assertThat(read.json().path("ancestorIds").valueStream().map(n -> n.asString()).toList()).containsExactly(root, child);
        assertThat(http.get("/categories").json().findValuesAsString("id")).contains(root, child, grandChild);
    }

    @Test
    void renamesACategory() {
        String id = create("Gardn", null);

        Reply renamed = http.put("/categories/" + id, Map.of("name", "Garden"));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(http.get("/categories/" + id).json().path("name").asString()).isEqualTo("Garden");
    }

    @Test
    void deletesOnlyCategoriesWithoutSubcategoriesOrProducts() {
        String parent = create("Toys", null);
        String child = create("Puzzles", parent);
        Map<String, Object> product = new HashMap<>();
        product.put("sku", "SKU-" + UUID.randomUUID());
        product.put("name", "Jigsaw");
        product.put("price", Map.of("amount", BigDecimal.TEN, "currency", "EUR"));
        product.put("categoryIds", List.of(child));
        String productId = http.post("/products", product).json().path("id").asString();

        assertThat(http.delete("/categories/" + parent).status()).isEqualTo(409);
        assertThat(http.delete("/categories/" + child).status()).isEqualTo(409);
        assertThat(http.delete("/products/" + productId).status()).isEqualTo(204);
        assertThat(http.delete("/categories/" + child).status()).isEqualTo(204);
        assertThat(http.delete("/categories/" + parent).status()).isEqualTo(204);
        assertThat(http.get("/categories/" + parent).status()).isEqualTo(404);
    }

    @Test
    void refusesBadInputAndUnknownIds() {
        assertThat(http.post("/categories", Map.of("name", "Orphan", "parentId", "no-such-parent")).json()
                .path("errors").findValuesAsString("field")).containsExactly("parentId");
        assertThat(http.post("/categories", Map.of("name", "")).json().path("errors").findValuesAsString("field"))
                .containsExactly("name");
        assertThat(http.post("/categories", Map.of("name", "x", "colour", "red")).status()).isEqualTo(400);
        // A trailing control character was stripped away as whitespace: stored was not what was sent (issue 16).
        assertThat(http.post("/categories", Map.of("name", "unit\u001f")).json().path("errors").findValuesAsString("field"))
                .containsExactly("name");
        assertThat(http.put("/categories/no-such-category", Map.of("name", "x")).status()).isEqualTo(404);
        assertThat(http.delete("/categories/no-such-category").status()).isEqualTo(404);
        assertThat(http.postAsCustomer("/categories", Map.of("name", "x")).status()).isEqualTo(403);
    }

    private String create(String name, String parentId) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (parentId != null) {
            body.put("parentId", parentId);
        }
        Reply created = http.post("/categories", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asString();
    }
}
