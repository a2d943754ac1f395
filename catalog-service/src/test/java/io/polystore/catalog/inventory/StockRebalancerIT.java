package io.polystore.catalog.inventory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.internal.CatalogTransactions;
import io.polystore.catalog.internal.SurrealOutboxWriter;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventEnvelope;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.StockRequested;
import io.polystore.events.StockTransferred;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.region.KnownRegions;
import io.polystore.surrealdb.SurrealClient;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 * The rebalancer in region-1 (the tests' context, peer region-2, low-water mark 5, target 10; its schedule is off in
 * the tests, which call it). Asking: its requests are read back from the outbox. Giving: region-2's requests are
 * produced onto {@code region-2.catalog.transfers}, standing in for region-2's relay and MirrorMaker 2.
 */
@CatalogIntegrationTest
class StockRebalancerIT {

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
    @Autowired
    StockRebalancer rebalancer;
    @Autowired
    StockTransfers transfers;
    @Autowired
    SurrealOutboxWriter outboxWriter;
    @Autowired
    CatalogTransactions transactions;
    @Autowired
    KnownRegions region;
    @Autowired
    Clock clock;

    private int sentByPasses;

    @Test
    void aProductSoldHereAndShortOfStockIsAskedForOnceWhileItsRequestIsOpen() {
        String shortHere = product(3);
        sell(shortHere, 2); // 1 available, 2 sold
        String neverSold = product(0);
        double sentBefore = requests("sent");

        List<StockRequested> first = askedFor(shortHere, neverSold);

        assertThat(first).singleElement().satisfies(request -> {
            assertThat(request.productId()).isEqualTo(shortHere);
            assertThat(request.fromRegion()).isEqualTo("region-1");
            assertThat(request.toRegion()).isEqualTo("region-2");
            assertThat(request.quantity()).as("up to the target of 10").isEqualTo(9);
        });
        assertThat(askedFor(shortHere, neverSold)).as("while the request is open").isEmpty();
        assertThat(requestsInOutbox(shortHere)).containsExactlyElementsOf(first);
        assertThat(requests("sent")).isEqualTo(sentBefore + sentByPasses);
        assertThat(outbox().topicsFor("product:" + shortHere)).contains(Topics.CATALOG_TRANSFERS);

        // Units arriving close the request: still short (2 < 5), the product is asked for again, for 8.
        transfers.receive(new StockTransferred(UUID.randomUUID().toString(), shortHere, "region-2", "region-1", 1,
                Instant.now()));
        List<StockRequested> second = askedFor(shortHere, neverSold);
        assertThat(second).singleElement().extracting(StockRequested::quantity).isEqualTo(8L);

        // A request without an answer times out, and the product is asked for again: the next peer, region-2 again
        // when it is the only one (another test of the context may have had a region join: StockTransfersIT).
        surreal.query("UPDATE type::record('stock_request', $key) SET requested_at = time::now() - 2m",
                Map.of("key", shortHere)).requireSuccess();
        List<String> peers = region.peers();
        String next = peers.get((peers.indexOf("region-2") + 1) % peers.size());
        assertThat(askedFor(shortHere, neverSold)).singleElement().satisfies(request -> {
            assertThat(request.requestId()).isNotEqualTo(second.getFirst().requestId());
            assertThat(request.toRegion()).isEqualTo(next);
        });
        assertThat(requestsInOutbox(shortHere)).hasSize(3);
    }

    @Test
    void aRequestWithASurplusHereMovesUnitsOnceEvenDeliveredTwice() {
        String productId = product(20);
        double grantedBefore = requests("granted");
        StockRequested request = new StockRequested(UUID.randomUUID().toString(), productId, "region-2", "region-1", 9,
                Instant.now());

        deliver(request);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(requests("granted")).isEqualTo(grantedBefore + 1));
        deliver(request);
        // A transfer after it on the same key (the same partition) is received after the second delivery was answered.
        deliver(new StockTransferred(UUID.randomUUID().toString(), productId, "region-2", "region-1", 1, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(stock(productId).path("received").asLong())
                .isEqualTo(1));

        assertThat(rebalancer.answer(request)).isEqualTo(StockRebalancer.Answer.DUPLICATE);
        JsonNode stock = stock(productId);
        assertThat(stock.path("available").asLong()).isEqualTo(20 - 9 + 1);
        assertThat(stock.path("sent").asLong()).isEqualTo(9);
        assertThat(requests("granted")).isEqualTo(grantedBefore + 1);
        List<StockTransferred> sent = events(productId, StockTransferred.class);
        assertThat(sent).as("one transfer, the request's id its id").singleElement().satisfies(transfer -> {
            assertThat(transfer.transferId()).isEqualTo(request.requestId());
            assertThat(transfer.toRegion()).isEqualTo("region-2");
            assertThat(transfer.quantity()).isEqualTo(9);
        });
    }

    @Test
    void aRequestIsGivenOnlyWhatIsSpareAboveTheLowWaterMark() {
        String atTheMark = product(5);
        String littleSpare = product(8);
        double declinedBefore = requests("declined");

        assertThat(rebalancer.answer(requestFor(atTheMark, 4))).isEqualTo(StockRebalancer.Answer.DECLINED);
        assertThat(rebalancer.answer(requestFor("no-such-product", 4))).isEqualTo(StockRebalancer.Answer.DECLINED);
        assertThat(rebalancer.answer(requestFor(littleSpare, 9))).isEqualTo(StockRebalancer.Answer.GRANTED);

        assertThat(stock(atTheMark).path("available").asLong()).isEqualTo(5);
        assertThat(events(atTheMark, StockTransferred.class)).isEmpty();
        assertThat(stock(littleSpare).path("available").asLong()).as("3 spare above 5").isEqualTo(5);
        assertThat(events(littleSpare, StockTransferred.class)).singleElement()
                .extracting(StockTransferred::quantity).isEqualTo(3L);
        assertThat(requests("declined")).isEqualTo(declinedBefore + 2);
        assertThat(rebalancer.answer(new StockRequested(UUID.randomUUID().toString(), littleSpare, "region-2",
                "region-3", 1, Instant.now()))).as("addressed elsewhere").isEqualTo(StockRebalancer.Answer.IGNORED);
    }

    @Test
    void aRebalancerSwitchedOffNeitherAsksNorGives() {
        String shortHere = product(3);
        sell(shortHere, 2);
        String plenty = product(50);
        CatalogProperties.Rebalancing on = properties.rebalancing();
        CatalogProperties off = new CatalogProperties(properties.transactionAttempts(), properties.outbox(),
                properties.reservations(), properties.search(), new CatalogProperties.Rebalancing(false, on.interval(),
                on.lowWater(), on.target(), on.requestTimeout(), on.batch()));
        StockRebalancer switchedOff = new StockRebalancer(surreal, outboxWriter, transactions, transfers, region, off,
                clock, new SimpleMeterRegistry());

        assertThat(switchedOff.askForShortStock()).isEmpty();
        assertThat(switchedOff.answer(requestFor(plenty, 9))).isEqualTo(StockRebalancer.Answer.IGNORED);

        assertThat(requestsInOutbox(shortHere)).isEmpty();
        assertThat(stock(plenty).path("available").asLong()).isEqualTo(50);
        assertThat(events(plenty, StockTransferred.class)).isEmpty();
    }

    private String product(int initialStock) {
        return new CatalogHttp(port).post("/products", Map.of("sku", "SKU-" + UUID.randomUUID(), "name", "Rebalanced",
                "price", Map.of("amount", BigDecimal.ONE, "currency", "EUR"), "initialStock", initialStock))
                .json().path("id").asString();
    }

    /** As confirmed orders leave it: {@code quantity} units fewer available, as many more sold. */
    private void sell(String productId, int quantity) {
        surreal.query("UPDATE type::record('inventory', $key) SET available -= $quantity, sold += $quantity",
                Map.of("key", productId, "quantity", quantity)).requireSuccess();
    }

    /**
     * The requests one pass of the rebalancer sent for these products. Others' products may be short too (tests run
     * before this one in the context): {@link #sentByPasses} counts every request the passes sent.
     */
    private List<StockRequested> askedFor(String... productIds) {
        List<String> ours = List.of(productIds);
        List<StockRequested> sent = rebalancer.askForShortStock();
        sentByPasses += sent.size();
        return sent.stream().filter(request -> ours.contains(request.productId())).toList();
    }

    private StockRequested requestFor(String productId, long quantity) {
        return new StockRequested(UUID.randomUUID().toString(), productId, "region-2", "region-1", quantity, Instant.now());
    }

    private List<StockRequested> requestsInOutbox(String productId) {
        return events(productId, StockRequested.class);
    }

    private <E extends PolystoreEvent> List<E> events(String productId, Class<E> type) {
        return outbox().eventsFor("product:" + productId).stream().map(EventEnvelope::data).filter(type::isInstance)
                .map(type::cast).toList();
    }

    private OutboxReader outbox() {
        return new OutboxReader(surreal, properties);
    }

    private JsonNode stock(String productId) {
        return new CatalogHttp(port).get("/products/" + productId + "/inventory").json();
    }

    private void deliver(PolystoreEvent event) {
        ProducerRecord<String, byte[]> record = binding.toProducerRecord(EventEnvelope.of(event, "/catalog-service",
                Clock.systemUTC()));
        try {
            kafka.send(new ProducerRecord<>(FROM_REGION_2, null, record.key(), record.value(), record.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private double requests(String outcome) {
        return meters.counter("polystore.catalog.rebalancing.requests", "outcome", outcome).count();
    }
}
