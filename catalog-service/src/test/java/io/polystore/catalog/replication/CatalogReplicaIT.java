package io.polystore.catalog.replication;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.CatalogServiceApplication;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogHttp.Reply;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventEnvelope;
import io.polystore.events.ProductChanged;
import io.polystore.events.ProductState;
import io.polystore.events.RelatedProductsState;
import io.polystore.events.CategoryState;
import io.polystore.events.Money;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.RegionHeaderFilter;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;
import io.polystore.testkit.jwt.TestTokenIssuer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A region that holds a replica of the catalog: region-2, whose catalog is written in region-1. The test's own
 * context is region-1; region-2 is a second catalog-service with a SurrealDB database of its own, started here, that
 * consumes {@code region-1.catalog.replication} on the same broker. The test stands in for sync-service's relay and
 * MirrorMaker 2: it copies region-1's outbox rows onto that topic.
 */
@CatalogIntegrationTest
class CatalogReplicaIT {

    private static final String MIRRORED = Topics.mirrored("region-1", Topics.CATALOG_REPLICATION);
    private static final Duration REPLICATED_WITHIN = Duration.ofSeconds(30);
    /** Rounds of a link and a deletion at once: enough to find the race every run with statements that allow it. */
    private static final int ROUNDS = 200;

    private static ConfigurableApplicationContext region2;
    private static CatalogHttp region2Http;
    private static SurrealClient region2Surreal;
    private static OutboxReader region2Outbox;

    @Value("${local.server.port}")
    int port;
    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;
    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    KafkaEventBinding binding;

    CatalogHttp http;
    OutboxReader outbox;

    @BeforeAll
    static void startRegion2() {
        SurrealDbEndpoint store = SharedServers.surrealDb();
        TestTokenIssuer tokens = SharedServers.tokens();
        region2 = new SpringApplicationBuilder(CatalogServiceApplication.class).run(
                "--server.port=0",
                "--polystore.region.name=region-2",
                "--polystore.region.catalog-region=region-1",
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers(),
                // Each region has a Kafka cluster of its own; sharing the tests' broker, region-2 consumes only the
                // mirrored topic (its saga listeners would take region-1's commands), in a group of its own.
                "--spring.kafka.consumer.group-id=catalog-service-region-2",
                "--spring.kafka.listener.auto-startup=false",
                "--polystore.surrealdb.url=" + store.url(),
                "--polystore.surrealdb.username=" + store.username(),
                "--polystore.surrealdb.password=" + store.password(),
                "--polystore.surrealdb.namespace=polystore",
                "--polystore.surrealdb.database=catalog_region_2",
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwkSetUri(),
                "--spring.security.oauth2.resourceserver.jwt.audiences=" + TestTokenIssuer.AUDIENCE);
        region2.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers().stream()
                .filter(container -> container.getContainerProperties().getTopics() != null // null: by pattern
                        && Arrays.asList(container.getContainerProperties().getTopics()).contains(MIRRORED))
                .forEach(org.springframework.context.Lifecycle::start);
        region2Http = new CatalogHttp(region2.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
        region2Surreal = region2.getBean(SurrealClient.class);
        region2Outbox = new OutboxReader(region2Surreal, region2.getBean(CatalogProperties.class));
    }

    @AfterAll
    static void stopRegion2() {
        if (region2 != null) {
            region2.close();
        }
    }

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
        outbox = new OutboxReader(surreal, properties);
    }

    @Test
    void replicatesProductsCategoriesAndRelatedProductsIdentically() throws Exception {
        String root = http.post("/categories", Map.of("name", "Outdoor")).json().path("id").asString();
        String child = http.post("/categories", Map.of("name", "Shoes", "parentId", root)).json().path("id").asString();
        http.put("/categories/" + child, Map.of("name", "Trail shoes"));
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("colour", "red");
        attributes.put("weight", 2.0);
        attributes.put("sizes", List.of(41, 42));
        attributes.put("discontinued", null);
        String shoe = product("Trail shoe", "24.90", attributes, List.of(child));
        update(shoe, 1, "Trail shoe", "19.90", true);
        String sock = product("Sock", "4.50", Map.of(), List.of(child));
        http.put("/products/" + shoe + "/related/" + sock, Map.of());

        // States of different records travel on different partitions: the pair and products may come first.
        mirror(RelatedProductsState.keyOf(shoe, sock), ProductState.keyOf(shoe), ProductState.keyOf(sock),
                CategoryState.keyOf(child), CategoryState.keyOf(root));

        await().atMost(REPLICATED_WITHIN).untilAsserted(() -> {
            assertThat(region2Http.get("/products/" + shoe).body()).isEqualTo(http.get("/products/" + shoe).body());
            assertThat(region2Http.get("/products/" + sock).body()).isEqualTo(http.get("/products/" + sock).body());
            assertThat(region2Http.get("/categories/" + child).body()).isEqualTo(http.get("/categories/" + child).body());
            assertThat(region2Http.get("/categories/" + root).body()).isEqualTo(http.get("/categories/" + root).body());
        });
        for (String record : List.of("product:" + shoe, "product:" + sock, "category:" + child, "category:" + root)) {
            assertThat(row(region2Surreal, "SELECT * FROM ONLY " + record)).isEqualTo(row(surreal, "SELECT * FROM ONLY " + record));
        }
        String edge = "SELECT in, out, created_at FROM ONLY related_to WHERE in = product:" + shoe + " LIMIT 1";
        assertThat(row(region2Surreal, edge)).isEqualTo(row(surreal, edge)).isNotNull();
        JsonNode stock = region2Http.get("/products/" + shoe + "/inventory").json();
        assertThat(List.of(stock.path("available").asLong(), stock.path("reserved").asLong(), stock.path("sold").asLong()))
                .containsExactly(0L, 0L, 0L);
        // This region's order service gets its price snapshot from this region's catalog.events, as always.
        assertThat(productChangedVersions(shoe)).containsExactly(1L, 2L);
        assertThat(region2Outbox.topicsFor(shoe)).containsOnly(Topics.CATALOG_EVENTS);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, MIRRORED);
            assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
        }
    }

    @Test
    void anOlderStateOrARedeliveredOneChangesNothingAndADeletionStays() {
        MeterRegistry meters = region2.getBean(MeterRegistry.class);
        String lamp = product("Lamp", "30.00", Map.of(), List.of());
        update(lamp, 1, "Desk lamp", "32.00", true);
        mirror(ProductState.keyOf(lamp));
        await().atMost(REPLICATED_WITHIN).untilAsserted(() ->
                assertThat(region2Http.get("/products/" + lamp).body()).isEqualTo(http.get("/products/" + lamp).body()));
        List<EventEnvelope> states = outbox.eventsFor(ProductState.keyOf(lamp));
        double outdated = count(meters, "outdated");
        double duplicates = count(meters, "duplicate");

        // An older state, published again (a new event), and the newest state delivered a second time.
        send(EventEnvelope.of(states.getFirst().data(), "/catalog-service", Clock.systemUTC()));
        send(states.getLast());

        await().atMost(REPLICATED_WITHIN).until(() -> count(meters, "outdated") > outdated
                && count(meters, "duplicate") > duplicates);
        assertThat(region2Http.get("/products/" + lamp).body()).isEqualTo(http.get("/products/" + lamp).body());
        assertThat(productChangedVersions(lamp)).containsExactly(1L, 2L);

        assertThat(http.delete("/products/" + lamp).status()).isEqualTo(204);
        mirror(ProductState.keyOf(lamp));
        await().atMost(REPLICATED_WITHIN).untilAsserted(() ->
                assertThat(region2Http.get("/products/" + lamp).status()).isEqualTo(404));
        send(EventEnvelope.of(states.getLast().data(), "/catalog-service", Clock.systemUTC()));
        await().atMost(REPLICATED_WITHIN).until(() -> count(meters, "outdated") > outdated + 1);
        assertThat(region2Http.get("/products/" + lamp).status()).isEqualTo(404);
        assertThat(region2Http.get("/products/" + lamp + "/inventory").status()).isEqualTo(404);
        assertThat(productChangedVersions(lamp)).containsExactly(1L, 2L, 3L);
    }

    @Test
    void aLinkThatComesAfterTheDeletionOfItsProductMakesNoEdge() {
        String kept = product("Kept", "1.00", Map.of(), List.of());
        String deleted = product("Deleted", "1.00", Map.of(), List.of());
        http.put("/products/" + kept + "/related/" + deleted, Map.of());
        assertThat(http.delete("/products/" + deleted).status()).isEqualTo(204);

        mirror(ProductState.keyOf(kept), ProductState.keyOf(deleted), RelatedProductsState.keyOf(kept, deleted));

        await().atMost(REPLICATED_WITHIN).untilAsserted(() -> {
            assertThat(row(region2Surreal, "SELECT version FROM ONLY catalog_version:⟨"
                    + RelatedProductsState.keyOf(kept, deleted) + "⟩")).containsEntry("version", 1L);
            assertThat(row(region2Surreal, "SELECT version FROM ONLY catalog_version:⟨" + ProductState.keyOf(deleted)
                    + "⟩")).containsEntry("version", 2L);
            assertThat(row(region2Surreal, "SELECT version FROM ONLY catalog_version:⟨" + ProductState.keyOf(kept)
                    + "⟩")).containsEntry("version", 1L);
        });
        assertThat(region2Http.get("/products/" + deleted).status()).isEqualTo(404);
        assertThat(region2Http.get("/products/" + kept).body()).isEqualTo(http.get("/products/" + kept).body());
        assertThat(region2Surreal.query("SELECT id FROM related_to WHERE in = product:" + kept + " OR out = product:"
                + kept).rows(0)).isEmpty();
    }

    /** The link's state travels on another partition than its products' and may be applied before either exists. */
    @Test
    void aLinkThatComesBeforeItsProductIsCreatedAndDeletedLeavesNoEdge() {
        String kept = product("Kept first", "1.00", Map.of(), List.of());
        String deleted = product("Deleted later", "1.00", Map.of(), List.of());
        http.put("/products/" + kept + "/related/" + deleted, Map.of());
        assertThat(http.delete("/products/" + deleted).status()).isEqualTo(204);

        mirror(RelatedProductsState.keyOf(kept, deleted));
        await().atMost(REPLICATED_WITHIN).untilAsserted(() -> assertThat(row(region2Surreal,
                "SELECT version FROM ONLY catalog_version:⟨" + RelatedProductsState.keyOf(kept, deleted) + "⟩"))
                .containsEntry("version", 1L));
        mirror(ProductState.keyOf(kept), ProductState.keyOf(deleted));
        await().atMost(REPLICATED_WITHIN).untilAsserted(() -> assertThat(row(region2Surreal,
                "SELECT version FROM ONLY catalog_version:⟨" + ProductState.keyOf(deleted) + "⟩"))
                .containsEntry("version", 2L));

        assertThat(region2Http.get("/products/" + deleted).status()).isEqualTo(404);
        assertThat(region2Surreal.query("SELECT id FROM related_to WHERE in = product:" + kept + " OR out = product:"
                + kept).rows(0)).isEmpty();
    }

    /**
     * A compacted topic keeps only the last state of a deleted product, its deletion: a region that joins later may
     * apply a link to it first, before it ever had the product, and then the deletion, which must take the edge too.
     */
    @Test
    void theDeletionOfAProductNeverHeldHereTakesTheEdgeThatCameBeforeIt() {
        CatalogReplica replica = region2.getBean(CatalogReplica.class);
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        String kept = newKey("kept");
        String deleted = newKey("deleted");

        assertThat(replica.apply(state(new RelatedProductsState(kept, deleted, 1, true, at))))
                .isEqualTo(CatalogReplica.Outcome.APPLIED);
        assertThat(edgesOf(kept)).hasSize(1);
        assertThat(replica.apply(state(productState(deleted, 3, true, at)))).isEqualTo(CatalogReplica.Outcome.APPLIED);
        assertThat(replica.apply(state(productState(kept, 1, false, at)))).isEqualTo(CatalogReplica.Outcome.APPLIED);

        assertThat(edgesOf(kept)).isEmpty();
        assertThat(heldVersion(ProductState.keyOf(deleted))).isEqualTo(3L);
        assertThat(region2Http.get("/products/" + deleted).status()).isEqualTo(404);
        assertThat(region2Http.get("/products/" + kept).status()).isEqualTo(200);
    }

    /**
     * States of different records are applied at the same time by several consumers, or instances, of a replica
     * region: a link and the deletion of one of its products, each round at once from two threads, with the product
     * applied first or not seen before (a region that joins later may get its deletion as its first state). Applied
     * one after the other, in either order, they leave no edge; at once, they must too.
     */
    @Test
    void aLinkAndTheDeletionOfItsProductAppliedAtOnceLeaveNoEdge() throws Exception {
        CatalogReplica replica = region2.getBean(CatalogReplica.class);
        MeterRegistry meters = region2.getBean(MeterRegistry.class);
        double conflictsBefore = retries(meters, "conflict");
        double staleBefore = retries(meters, "stale");
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<String> edgesLeft = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < ROUNDS; round++) {
                String kept = newKey("kept");
                String deleted = newKey("deleted");
                boolean productsFirst = round % 2 == 0;
                if (productsFirst) {
                    replica.apply(state(productState(kept, 1, false, at)));
                    replica.apply(state(productState(deleted, 1, false, at)));
                }
                EventEnvelope link = state(new RelatedProductsState(kept, deleted, 1, true, at));
                EventEnvelope deletion = state(productState(deleted, 2, true, at));
                CyclicBarrier start = new CyclicBarrier(2);
                Future<CatalogReplica.Outcome> linked = threads.submit(() -> {
                    start.await();
                    return replica.apply(link);
                });
                Future<CatalogReplica.Outcome> gone = threads.submit(() -> {
                    start.await();
                    return replica.apply(deletion);
                });
                assertThat(List.of(linked.get(), gone.get())).containsOnly(CatalogReplica.Outcome.APPLIED);

                if (!edgesOf(deleted).isEmpty()) {
                    edgesLeft.add((productsFirst ? "products applied first: " : "products not seen: ") + deleted);
                }
                assertThat(heldVersion(RelatedProductsState.keyOf(kept, deleted))).isEqualTo(1L);
                assertThat(heldVersion(ProductState.keyOf(deleted))).isEqualTo(2L);
                assertThat(region2Http.get("/products/" + deleted).status()).isEqualTo(404);
            }
        }
        LoggerFactory.getLogger(CatalogReplicaIT.class).info("{} rounds of a link and a deletion at once: {} left an "
                + "edge; attempts run again after a conflict: {}, after a stale read: {}", ROUNDS, edgesLeft.size(),
                retries(meters, "conflict") - conflictsBefore, retries(meters, "stale") - staleBefore);
        assertThat(edgesLeft).as("edges left to a deleted product").isEmpty();
    }

    @Test
    void refusesChangesOfTheCatalogButNotOfItsStock() {
        String category = http.post("/categories", Map.of("name", "Tools")).json().path("id").asString();
        String hammer = product("Hammer", "12.00", Map.of(), List.of(category));
        mirror(ProductState.keyOf(hammer), CategoryState.keyOf(category));
        await().atMost(REPLICATED_WITHIN).untilAsserted(() ->
                assertThat(region2Http.get("/products/" + hammer).status()).isEqualTo(200));
        String product = region2Http.get("/products/" + hammer).body();
        String categories = region2Http.get("/categories").body();
        Map<String, Object> update = new LinkedHashMap<>(Map.of("sku", "H-" + UUID.randomUUID(), "name", "Hammer",
                "price", Map.of("amount", "1.00", "currency", "EUR"), "version", 1, "active", true));

        Map<String, Object> create = Map.of("sku", "H-" + UUID.randomUUID(), "name", "Hammer",
                "price", Map.of("amount", "1.00", "currency", "EUR"));

        List<Reply> refused = List.of(
                region2Http.post("/products", create),
                region2Http.put("/products/" + hammer, update),
                region2Http.delete("/products/" + hammer),
                region2Http.put("/products/" + hammer + "/related/" + UUID.randomUUID(), Map.of()),
                region2Http.delete("/products/" + hammer + "/related/" + UUID.randomUUID()),
                region2Http.post("/categories", Map.of("name", "Garden")),
                region2Http.put("/categories/" + category, Map.of("name", "Garden")),
                region2Http.delete("/categories/" + category));

        assertThat(refused).allSatisfy(reply -> {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
            assertThat(reply.json().path("type").asString()).isEqualTo("urn:polystore:problem:catalog-written-elsewhere");
            assertThat(reply.json().path("catalogRegion").asString()).isEqualTo("region-1");
            assertThat(reply.json().path("detail").asString()).contains("region-1");
            assertThat(reply.header(RegionHeaderFilter.HEADER)).isEqualTo("region-2");
        });
        // The role is checked first: a customer is refused as in any region.
        assertThat(region2Http.postAsCustomer("/products", create).status()).isEqualTo(403);
        assertThat(region2Http.get("/products/" + hammer).body()).isEqualTo(product);
        assertThat(region2Http.get("/categories").body()).isEqualTo(categories);

        Reply delivered = region2Http.post("/products/" + hammer + "/inventory/adjustments",
                Map.of("quantity", 5, "reason", "delivery"));
        Reply counted = region2Http.put("/products/" + hammer + "/inventory", Map.of("available", 3, "reason", "count"));
        assertThat(delivered.status()).isEqualTo(200);
        assertThat(delivered.json().path("available").asLong()).isEqualTo(5);
        assertThat(counted.status()).isEqualTo(200);
        assertThat(counted.json().path("available").asLong()).isEqualTo(3);
        // Stock is regional: region-1 still has the 9 units it was created with.
        assertThat(http.get("/products/" + hammer + "/inventory").json().path("available").asLong()).isEqualTo(9);

        JsonNode paths = region2Http.get("/v3/api-docs").json().path("paths");
        assertThat(paths.path("/products").path("post").path("responses").path("409").path("description").asString())
                .startsWith("Another product has this SKU; or this region holds a replica").contains("catalogRegion");
        assertThat(paths.path("/categories").path("post").path("responses").path("409").path("description").asString())
                .startsWith("This region holds a replica");
        assertThat(paths.path("/products/{productId}/inventory/adjustments").path("post").path("responses").has("409"))
                .isFalse();
    }

    private String product(String name, String price, Map<String, Object> attributes, List<String> categoryIds) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("sku", "R-" + UUID.randomUUID(), "name", name,
                "price", Map.of("amount", price, "currency", "EUR"), "categoryIds", categoryIds, "initialStock", 9));
        body.put("attributes", attributes);
        Reply created = http.post("/products", body);
        assertThat(created.status()).isEqualTo(201);
        return created.json().path("id").asString();
    }

    private void update(String id, long version, String name, String price, boolean active) {
        JsonNode current = http.get("/products/" + id).json();
        Map<String, Object> body = new LinkedHashMap<>(Map.of("sku", current.path("sku").asString(), "name", name,
                "price", Map.of("amount", price, "currency", "EUR"), "version", version, "active", active));
        body.put("attributes", CatalogHttp.JSON.convertValue(current.path("attributes"), Map.class));
        body.put("categoryIds", CatalogHttp.JSON.convertValue(current.path("categoryIds"), List.class));
        assertThat(http.put("/products/" + id, body).status()).isEqualTo(200);
    }

    /** What sync-service's relay and MirrorMaker 2 do: region-1's outbox rows of these records onto the mirrored topic. */
    private void mirror(String... keys) {
        for (String key : keys) {
            outbox.eventsFor(key).forEach(this::send);
        }
    }

    private void send(EventEnvelope envelope) {
        ProducerRecord<String, byte[]> record = binding.toProducerRecord(envelope);
        try {
            kafka.send(new ProducerRecord<>(MIRRORED, null, record.key(), record.value(), record.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<Long> productChangedVersions(String productId) {
        return region2Outbox.eventsFor(productId).stream().map(EventEnvelope::data)
                .map(event -> ((ProductChanged) event).version()).toList();
    }

    private static Map<String, Object> row(SurrealClient store, String select) {
        return store.query(select).firstRow(0).orElse(null);
    }

    /** A product key no other test uses. */
    private static String newKey(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    private static EventEnvelope state(PolystoreEvent event) {
        return EventEnvelope.of(event, "/catalog-service", Clock.systemUTC());
    }

    private static ProductState productState(String id, long version, boolean deleted, Instant at) {
        return new ProductState(id, version, deleted, "S-" + id, "Product " + id, "", new Money(new BigDecimal("1.00"),
                "EUR"), Map.of(), List.of(), true, at, at.plusSeconds(version));
    }

    /** The edges that go out of or into the product, whether this region holds the product or not. */
    private static List<Map<String, Object>> edgesOf(String productKey) {
        return region2Surreal.query("SELECT id FROM related_to WHERE in = type::record('product', $key) "
                + "OR out = type::record('product', $key)", Map.of("key", productKey)).rows(0);
    }

    private static long heldVersion(String replicationKey) {
        return ((Number) region2Surreal.query("RETURN type::record('catalog_version', $key).version ?? 0",
                Map.of("key", replicationKey)).result(0)).longValue();
    }

    private static double retries(MeterRegistry meters, String reason) {
        return meters.counter("polystore.catalog.transaction.retries", "reason", reason).count();
    }

    private static double count(MeterRegistry meters, String outcome) {
        return meters.counter("polystore.catalog.replication.states", "outcome", outcome).count();
    }
}
