package io.polystore.catalog.replication;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.CategoryState;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ProductChanged;
import io.polystore.events.ProductState;
import io.polystore.events.RelatedProductsState;
import io.polystore.events.Topics;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** In the catalog region (the default: region-1 writes the catalog), every change of a global record publishes its whole state. */
@CatalogIntegrationTest
class ReplicationEventsIT {

    @Value("${local.server.port}")
    int port;
    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;
    @Autowired
    KafkaListenerEndpointRegistry listeners;
    @Autowired
    UnpublishedStates unpublished;

    CatalogHttp http;
    OutboxReader outbox;

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
        outbox = new OutboxReader(surreal, properties);
    }

    @Test
    void everyChangeOfAProductPublishesItsWholeStateNextToProductChanged() {
        String category = http.post("/categories", Map.of("name", "Replicated shoes")).json().path("id").asString();
        String sku = "REP-" + UUID.randomUUID();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("colour", "red");
        attributes.put("weight", 2.0);
        attributes.put("sizes", List.of(41, 42));
        attributes.put("discontinued", null);
        Map<String, Object> body = new LinkedHashMap<>(Map.of("sku", sku, "name", "Trail shoe", "description", "Grippy",
                "price", Map.of("amount", "24.90", "currency", "EUR"), "categoryIds", List.of(category),
                "initialStock", 5));
        body.put("attributes", attributes);
        String id = http.post("/products", body).json().path("id").asString();
        body.remove("initialStock");
        body.put("version", 1);
        body.put("active", true);
        body.put("price", Map.of("amount", "19.90", "currency", "EUR"));
        assertThat(http.put("/products/" + id, body).status()).isEqualTo(200);
        body.put("version", 2);
        body.put("active", false);
        JsonNode deactivated = http.put("/products/" + id, body).json();

        List<ProductState> states = states(ProductState.keyOf(id), ProductState.class);

        assertThat(states).extracting(ProductState::version).containsExactly(1L, 2L, 3L);
        assertThat(states).extracting(state -> state.price().amount())
                .containsExactly(new BigDecimal("24.90"), new BigDecimal("19.90"), new BigDecimal("19.90"));
        assertThat(states).extracting(ProductState::active).containsExactly(true, true, false);
        ProductState last = states.getLast();
        assertThat(last).isEqualTo(new ProductState(id, 3, false, sku, "Trail shoe", "Grippy",
                new Money(new BigDecimal("19.90"), "EUR"), last.attributes(), List.of(category), false,
                Instant.parse(deactivated.path("createdAt").asString()), Instant.parse(deactivated.path("updatedAt").asString())));
        assertThat(last.attributes()).containsEntry("colour", "red").containsEntry("weight", new BigDecimal("2.0"))
                .containsEntry("sizes", List.of(41, 42)).containsEntry("discontinued", null);
        assertThat(outbox.topicsFor(ProductState.keyOf(id))).containsOnly(Topics.CATALOG_REPLICATION);
        // This region's own price snapshot still comes through ProductChanged, keyed by the bare product id.
        assertThat(outbox.eventsFor(id)).extracting(EventEnvelope::data).allMatch(ProductChanged.class::isInstance)
                .hasSize(3);

        assertThat(http.delete("/products/" + id).status()).isEqualTo(204);

        assertThat(states(ProductState.keyOf(id), ProductState.class).getLast())
                .extracting(ProductState::version, ProductState::deleted, ProductState::sku).containsExactly(4L, true, sku);
    }

    @Test
    void everyChangeOfACategoryPublishesItsWholeState() {
        String root = http.post("/categories", Map.of("name", "Replicated root")).json().path("id").asString();
        String child = http.post("/categories", Map.of("name", "Boots", "parentId", root)).json().path("id").asString();
        assertThat(http.put("/categories/" + child, Map.of("name", "Hiking boots")).status()).isEqualTo(200);
        JsonNode renamed = http.get("/categories/" + child).json();
        assertThat(http.delete("/categories/" + child).status()).isEqualTo(204);

        List<CategoryState> states = states(CategoryState.keyOf(child), CategoryState.class);

        assertThat(states).extracting(CategoryState::version, CategoryState::name, CategoryState::deleted)
                .containsExactly(tuple(1L, "Boots", false),
                        tuple(2L, "Hiking boots", false),
                        tuple(3L, "Hiking boots", true));
        assertThat(states.get(1)).isEqualTo(new CategoryState(child, 2, false, "Hiking boots", root, List.of(root),
                Instant.parse(renamed.path("createdAt").asString()), Instant.parse(renamed.path("updatedAt").asString())));
        assertThat(states(CategoryState.keyOf(root), CategoryState.class)).singleElement()
                .extracting(CategoryState::parentId, CategoryState::ancestorIds).containsExactly(null, List.of());
    }

    @Test
    void linkingAndUnlinkingRelatedProductsPublishesThePairsStateWithAVersionThatOutlivesTheEdge() {
        String a = product();
        String b = product();

        http.put("/products/" + a + "/related/" + b, Map.of());
        http.put("/products/" + b + "/related/" + a, Map.of());
        http.delete("/products/" + b + "/related/" + a);
        http.delete("/products/" + b + "/related/" + a);
        http.put("/products/" + b + "/related/" + a, Map.of());

        List<RelatedProductsState> states = states(RelatedProductsState.keyOf(a, b), RelatedProductsState.class);
        assertThat(states).extracting(RelatedProductsState::version, RelatedProductsState::linked,
                        RelatedProductsState::productId, RelatedProductsState::relatedId)
                .containsExactly(tuple(1L, true, a, b),
                        tuple(2L, false, b, a),
                        tuple(3L, true, b, a));
        JsonNode related = http.get("/products/" + a).json().path("related");
        assertThat(related).singleElement().extracting(product -> product.path("id").asString()).isEqualTo(b);

        // Deleting a product deletes its edges with it (SurrealDB's own doing), with no state of the pair: a replica
        // deletes the product the same way.
        assertThat(http.delete("/products/" + b).status()).isEqualTo(204);
        assertThat(surreal.query("SELECT id FROM related_to WHERE in = type::record('product', $a) OR out = "
                + "type::record('product', $a)", Map.of("a", a)).rows(0)).isEmpty();
        assertThat(states(RelatedProductsState.keyOf(a, b), RelatedProductsState.class)).hasSize(3);
    }

    /** A blank id names no product: there is no pair to unlink (HostileInputIT sends it and found a 500). */
    @Test
    void unlinkingFromABlankIdChangesNothingAndPublishesNothing() {
        String a = product();

        assertThat(http.delete("/products/" + a + "/related/%20%20%20").status()).isEqualTo(204);
        assertThat(surreal.query("SELECT id FROM catalog_version WHERE string::starts_with(record::id(id), $pair)",
                Map.of("pair", "related_to:")).rows(0).stream().map(Object::toString)).noneMatch(row -> row.contains(a));
    }

    @Test
    void publishesOnceTheStateOfRecordsMadeBeforeTheCatalogWasReplicated() {
        String category = "pre" + UUID.randomUUID().toString().replace("-", "");
        String a = "pre" + UUID.randomUUID().toString().replace("-", "");
        String b = "pre" + UUID.randomUUID().toString().replace("-", "");
        Instant made = Instant.parse("2026-01-02T03:04:05.123456Z");
        surreal.query("""
                CREATE type::record('category', $category) CONTENT {
                    name: 'Older', ancestors: [], version: 1, created_at: $made, updated_at: $made
                };
                FOR $key IN [$a, $b] {
                    CREATE type::record('product', $key) CONTENT {
                        sku: 'OLD-' + $key, name: 'Older', description: '', price: { amount: 5.5dec, currency: 'EUR' },
                        attributes: {}, categories: [type::record('category', $category)], active: true, version: 4,
                        created_at: $made, updated_at: $made
                    };
                };
                RELATE (type::record('product', $a))->related_to->(type::record('product', $b)) SET created_at = $made;""",
                Map.of("category", category, "a", a, "b", b, "made", made)).requireSuccess();

        unpublished.publish();
        unpublished.publish();

        assertThat(states(ProductState.keyOf(a), ProductState.class)).singleElement().isEqualTo(new ProductState(a, 4,
                false, "OLD-" + a, "Older", "", new Money(new BigDecimal("5.50"), "EUR"), Map.of(), List.of(category),
                true, made, made));
        assertThat(states(CategoryState.keyOf(category), CategoryState.class)).singleElement()
                .isEqualTo(new CategoryState(category, 1, false, "Older", null, List.of(), made, made));
        assertThat(states(RelatedProductsState.keyOf(a, b), RelatedProductsState.class)).singleElement()
                .isEqualTo(new RelatedProductsState(a, b, 1, true, made));
        assertThat(outbox.eventsFor(a)).isEmpty();
    }

    @Test
    void declaresTheReplicationTopicCompactedAndDoesNotConsumeItInTheCatalogRegion() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, Topics.CATALOG_REPLICATION);
            assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
        List<String> consumed = listeners.getListenerContainers().stream()
                // A container subscribed by pattern (the other regions' transfers) names no topics.
                .filter(container -> container.getContainerProperties().getTopics() != null)
                .flatMap(container -> Stream.of(container.getContainerProperties().getTopics())).toList();
        assertThat(consumed).contains(Topics.CATALOG_COMMANDS)
                .noneMatch(topic -> topic.endsWith(Topics.CATALOG_REPLICATION));
    }

    private String product() {
        return http.post("/products", Map.of("sku", "REP-" + UUID.randomUUID(), "name", "Part",
                "price", Map.of("amount", "1.00", "currency", "EUR"))).json().path("id").asString();
    }

    private <T extends PolystoreEvent> List<T> states(String key, Class<T> type) {
        return outbox.eventsFor(key).stream().map(EventEnvelope::data).map(type::cast).toList();
    }
}
