package io.polystore.catalog.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogHttp.Reply;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventEnvelope;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.RegionAnnounced;
import io.polystore.events.StockTransferred;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stock moved between regions. The test's context is region-1 with one peer, region-2: it sends transfers (its
 * outbox is read back) and receives region-2's, which the test produces onto {@code region-2.catalog.transfers},
 * standing in for region-2's relay and MirrorMaker 2.
 */
@CatalogIntegrationTest
class StockTransfersIT {

    private static final String FROM_REGION_2 = Topics.mirrored("region-2", Topics.CATALOG_TRANSFERS);

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
    @Autowired
    MeterRegistry meters;

    CatalogHttp http;
    OutboxReader outbox;
    String productId;

    @BeforeEach
    void setUp() {
        http = new CatalogHttp(port);
        outbox = new OutboxReader(surreal, properties);
        productId = http.post("/products", Map.of("sku", "SKU-" + UUID.randomUUID(), "name", "Transferred",
                "price", Map.of("amount", BigDecimal.ONE, "currency", "EUR"), "initialStock", 10)).json().path("id").asString();
    }

    @Test
    void aTransferTakesTheUnitsOutHereAndSendsOneEvent() {
        Reply sent = http.post(transfers(), Map.of("toRegion", "region-2", "quantity", 4));

        assertThat(sent.status()).isEqualTo(201);
        String id = sent.json().path("id").asString();
        assertThat(sent.header("Location")).endsWith("/products/" + productId + "/inventory/transfers/" + id);
        assertThat(http.get("/products/" + productId + "/inventory/transfers/" + id).body()).isEqualTo(sent.body());
        assertThat(http.get("/products/other/inventory/transfers/" + id).status()).isEqualTo(404);
        assertThat(sent.json().path("fromRegion").asString()).isEqualTo("region-1");
        assertThat(sent.json().path("toRegion").asString()).isEqualTo("region-2");
        assertThat(sent.json().path("quantity").asLong()).isEqualTo(4);
        JsonNode stock = http.get("/products/" + productId + "/inventory").json();
        assertThat(stock.path("available").asLong()).isEqualTo(6);
        assertThat(stock.path("sent").asLong()).isEqualTo(4);
        assertThat(stock.path("received").asLong()).isZero();
        List<StockTransferred> events = outbox.eventsFor("product:" + productId).stream().map(EventEnvelope::data)
                .filter(StockTransferred.class::isInstance).map(StockTransferred.class::cast).toList();
        assertThat(events).containsExactly(new StockTransferred(sent.json().path("id").asString(), productId,
                "region-1", "region-2", 4, events.getFirst().transferredAt()));
        assertThat(outbox.topicsFor("product:" + productId)).contains(Topics.CATALOG_TRANSFERS);
    }

    @Test
    void refusedTransfersNameTheFieldAndChangeNothing() {
        assertRefused(Map.of("toRegion", "region-2", "quantity", 11), "quantity", "10 units available");
        assertRefused(Map.of("toRegion", "region-3", "quantity", 1), "toRegion", "no region known here");
        assertRefused(Map.of("toRegion", "region-1", "quantity", 1), "toRegion", "is this region");
        assertRefused(Map.of("toRegion", "Region 2", "quantity", 1), "toRegion", "region's name");
        assertRefused(Map.of("toRegion", "region-2", "quantity", 0), "quantity", "");
        assertRefused(Map.of("toRegion", "region-2"), "quantity", "");

        JsonNode stock = http.get("/products/" + productId + "/inventory").json();
        assertThat(stock.path("available").asLong()).isEqualTo(10);
        assertThat(stock.path("sent").asLong()).isZero();
        assertThat(outbox.topicsFor("product:" + productId)).doesNotContain(Topics.CATALOG_TRANSFERS);
        assertThat(http.post("/products/no-such/inventory/transfers", Map.of("toRegion", "region-2", "quantity", 1))
                .status()).isEqualTo(404);
        assertThat(http.postAsCustomer(transfers(), Map.of("toRegion", "region-2", "quantity", 1)).status()).isEqualTo(403);
    }

    @Test
    void aReceivedTransferAddsTheUnitsOnceEvenDeliveredTwice() {
        double duplicatesBefore = received("duplicate");
        StockTransferred transfer = new StockTransferred(UUID.randomUUID().toString(), productId, "region-2", "region-1",
                7, Instant.now());

        deliver(transfer);
        deliver(transfer);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(received("duplicate")).isEqualTo(duplicatesBefore + 1));
        JsonNode stock = http.get("/products/" + productId + "/inventory").json();
        assertThat(http.get("/products/" + productId + "/inventory/transfers/" + transfer.transferId()).json()
                .path("fromRegion").asString()).isEqualTo("region-2");
        assertThat(stock.path("available").asLong()).isEqualTo(17);
        assertThat(stock.path("received").asLong()).isEqualTo(7);
    }

    @Test
    void aTransferToAnotherRegionIsIgnoredHere() {
        double ignoredBefore = received("not_addressed_here");

        deliver(new StockTransferred(UUID.randomUUID().toString(), productId, "region-2", "region-3", 5, Instant.now()));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(received("not_addressed_here")).isEqualTo(ignoredBefore + 1));
        assertThat(http.get("/products/" + productId + "/inventory").json().path("available").asLong()).isEqualTo(10);
    }

    @Test
    void aTransferForAProductNotHeldYetIsTriedAgainUntilItIs() throws InterruptedException {
        // The product's replica has not arrived: this region has no stock row for it.
        surreal.query("DELETE type::record('inventory', $key)", Map.of("key", productId)).requireSuccess();

        deliver(new StockTransferred(UUID.randomUUID().toString(), productId, "region-2", "region-1", 3, Instant.now()));
        Thread.sleep(1_000);
        assertThat(http.get("/products/" + productId + "/inventory").status()).isEqualTo(404);

        surreal.query("CREATE type::record('inventory', $key) CONTENT { product: type::record('product', $key), "
                + "available: 0, reserved: 0, sold: 0, updated_at: time::now() }", Map.of("key", productId)).requireSuccess();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                http.get("/products/" + productId + "/inventory").json().path("available").asLong()).isEqualTo(3));
    }

    /**
     * A region this one was not configured with joins while it runs: once its announcement arrives (on its mirrored
     * {@code <region>.regions}, produced here as MirrorMaker would), units can be sent to it; and its transfers, on a
     * topic that did not exist when the listener subscribed, are received, without a restart.
     */
    @Test
    void aRegionThatJoinsWhileTheServiceRunsIsSentUnitsAndItsTransfersAreReceived() throws Exception {
        String joining = "joining-" + UUID.randomUUID().toString().substring(0, 8);
        assertRefused(Map.of("toRegion", joining, "quantity", 1), "toRegion", "no region known here");
        String transfersFromIt = Topics.mirrored(joining, Topics.CATALOG_TRANSFERS);
        // MirrorMaker creates the joining region's mirrored topics at its first pass.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(Topics.mirrored(joining, Topics.REGIONS), 1, (short) 1),
                    new NewTopic(transfersFromIt, 1, (short) 1))).all().get();
        }
        long begin = System.nanoTime();
        send(Topics.mirrored(joining, Topics.REGIONS), new RegionAnnounced(joining, null, Instant.now()));
        send(transfersFromIt, new StockTransferred(UUID.randomUUID().toString(), productId, joining, "region-1", 3,
                Instant.now()));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() ->
                http.post(transfers(), Map.of("toRegion", joining, "quantity", 1)).status() == 201);
        double peer = (System.nanoTime() - begin) / 1e9;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() ->
                http.get("/products/" + productId + "/inventory").json().path("received").asLong() == 3);
        double received = (System.nanoTime() - begin) / 1e9;
        JsonNode stock = http.get("/products/" + productId + "/inventory").json();
        assertThat(stock.path("available").asLong()).isEqualTo(10 - 1 + 3);
        assertThat(stock.path("sent").asLong()).isEqualTo(1);
        System.out.printf("Region %s joined: sent to after %.2f s, its first transfer received after %.2f s%n",
                joining, peer, received);
    }

    private void send(String topic, PolystoreEvent event) throws Exception {
        ProducerRecord<String, byte[]> record = binding.toProducerRecord(EventEnvelope.of(event, "/catalog-service",
                Clock.systemUTC()));
        kafka.send(new ProducerRecord<>(topic, null, record.key(), record.value(), record.headers())).get();
    }

    private void assertRefused(Map<String, Object> body, String field, String reason) {
        Reply refused = http.post(transfers(), body);
        assertThat(refused.status()).as("%s", body).isEqualTo(400);
        assertThat(refused.json().path("errors").findValuesAsString("field")).as("%s", body).containsExactly(field);
        assertThat(refused.json().path("errors").findValuesAsString("reason").getFirst()).contains(reason);
    }

    private String transfers() {
        return "/products/" + productId + "/inventory/transfers";
    }

    private void deliver(StockTransferred transfer) {
        ProducerRecord<String, byte[]> record = binding.toProducerRecord(EventEnvelope.of(transfer, "/catalog-service",
                Clock.systemUTC()));
        try {
            kafka.send(new ProducerRecord<>(FROM_REGION_2, null, record.key(), record.value(), record.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double received(String outcome) {
        return meters.counter("polystore.catalog.transfers.received", "outcome", outcome).count();
    }
}
