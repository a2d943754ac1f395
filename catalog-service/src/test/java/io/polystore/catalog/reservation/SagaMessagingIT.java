package io.polystore.catalog.reservation;

import io.polystore.catalog.CatalogProperties;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.catalog.inventory.InventoryService;
import io.polystore.catalog.product.CreateProductRequest;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.catalog.recommendation.Recommendation;
import io.polystore.catalog.recommendation.RecommendationEngine;
import io.polystore.catalog.recommendation.Recommendations;
import io.polystore.catalog.support.CatalogIntegrationTest;
import io.polystore.catalog.support.OutboxReader;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.OrderLine;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/** The saga participant through the real Kafka broker: commands in, replies in the outbox, bad records dead-lettered. */
@CatalogIntegrationTest
class SagaMessagingIT {

    @Autowired
    KafkaTemplate<String, byte[]> kafka;
    @Autowired
    KafkaEventBinding binding;
    @Autowired
    ProductCatalog products;
    @Autowired
    InventoryService inventory;
    @Autowired
    StockReservations reservations;
    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;
    @Autowired
    RecommendationEngine recommendations;

    @Test
    void reservesReleasesAndConfirmsFromKafkaCommands() throws Exception {
        OutboxReader outbox = new OutboxReader(surreal, properties);
        String a = product(6);
        UUID reservedOrder = UUID.randomUUID();
        UUID releasedOrder = UUID.randomUUID();

        send(new ReserveStock(reservedOrder, List.of(new OrderLine(a, 2)), Instant.now().plusSeconds(60)));
        send(new ReserveStock(releasedOrder, List.of(new OrderLine(a, 3)), Instant.now().plusSeconds(60)));
        await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class).untilAsserted(() ->
                assertThat(outbox.eventsFor(releasedOrder.toString())).isNotEmpty());
        send(new ReleaseStock(releasedOrder, "payment failed"));
        send(new OrderConfirmed(reservedOrder, "kafka-customer", List.of(new OrderLine(a, 2)), Instant.now()));

        await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class).untilAsserted(() -> {
            assertThat(reservations.get(reservedOrder.toString()).status()).isEqualTo("CONFIRMED");
            assertThat(reservations.get(releasedOrder.toString()).status()).isEqualTo("RELEASED");
        });
        var stock = inventory.get(a);
        assertThat(List.of(stock.available(), stock.reserved(), stock.sold())).containsExactly(4L, 0L, 2L);
        assertThat(replies(outbox, reservedOrder)).singleElement().isInstanceOf(StockReserved.class);
        assertThat(replies(outbox, releasedOrder)).hasSize(2).last().isInstanceOf(StockReleased.class);
    }

    @Test
    void sendsAMalformedCommandToTheDeadLetterTopicAndGoesOn() throws Exception {
        String a = product(3);
        UUID order = UUID.randomUUID();
        String garbageKey = "garbage-" + UUID.randomUUID();
        ProducerRecord<String, byte[]> garbage = new ProducerRecord<>(Topics.CATALOG_COMMANDS, garbageKey,
                "{not json".getBytes(StandardCharsets.UTF_8));
        garbage.headers().add("ce_type", "io.polystore.catalog.ReserveStock".getBytes(StandardCharsets.UTF_8));
        ProducerRecord<String, byte[]> wrongEvent = binding.toProducerRecord(EventEnvelope.of(
                new StockReleased(UUID.randomUUID(), "x"), "/somewhere", Clock.systemUTC()));
        String wrongKey = wrongEvent.key();

        kafka.send(garbage).get();
        kafka.send(new ProducerRecord<>(Topics.CATALOG_COMMANDS, wrongKey, wrongEvent.value())).get();
        send(new ReserveStock(order, List.of(new OrderLine(a, 1)), Instant.now().plusSeconds(60)));

        await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class).untilAsserted(() ->
                assertThat(reservations.get(order.toString()).status()).isEqualTo("RESERVED"));
        try (KafkaConsumer<String, byte[]> deadLetters = deadLetterConsumer()) {
            List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class).untilAsserted(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(found::add);
                assertThat(found).extracting(ConsumerRecord::key).contains(garbageKey, wrongKey);
            });
            ConsumerRecord<String, byte[]> dead = found.stream().filter(r -> garbageKey.equals(r.key())).findFirst().orElseThrow();
            assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
            assertThat(header(dead, "kafka_dlt-exception-message")).isNotBlank();
        }
    }

    @Test
    void feedsConfirmedOrdersIntoRecommendations() {
        String camera = product(10);
        String lens = product(10);
        String strap = product(10);
        String tripod = product(10);
        confirm("ann", camera, lens, strap);
        confirm("bob", camera, lens);
        confirm("cid", lens, tripod);

        await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class).untilAsserted(() -> {
            Recommendations forCamera = recommendations.forProduct(camera, 10);
            assertThat(forCamera.boughtTogether()).extracting(r -> r.product().id(), Recommendation::score)
                    .containsExactly(tuple(lens, 2L), tuple(strap, 1L));
            assertThat(forCamera.customersAlsoBought()).extracting(r -> r.product().id(), Recommendation::score)
                    .containsExactly(tuple(lens, 2L), tuple(strap, 1L));
            Recommendations forLens = recommendations.forProduct(lens, 10);
            assertThat(forLens.boughtTogether()).extracting(r -> r.product().id(), Recommendation::score)
                    .containsExactlyInAnyOrder(tuple(camera, 2L), tuple(strap, 1L), tuple(tripod, 1L));
            assertThat(forLens.boughtTogether().getFirst().product().id()).isEqualTo(camera);
            assertThat(List.of(camera, lens, strap, tripod)).extracting(id -> inventory.get(id).sold())
                    .containsExactly(2L, 3L, 1L, 1L);
        });
    }

    /**
     * An order reserved and confirmed, its two messages sent in the reverse order, as a restore's replay of both topics
     * can deliver them: the confirmation is tried again until the reservation is there, then sells its units.
     */
    private void confirm(String customer, String... productIds) {
        List<OrderLine> lines = java.util.Arrays.stream(productIds).map(id -> new OrderLine(id, 1)).toList();
        UUID order = UUID.randomUUID();
        send(new OrderConfirmed(order, customer + "-" + UUID.randomUUID(), lines, Instant.now()));
        send(new ReserveStock(order, lines, Instant.now().plusSeconds(60)));
    }

    private void send(PolystoreEvent event) {
        try {
            kafka.send(binding.toProducerRecord(EventEnvelope.of(event, "/order-service", Clock.systemUTC()))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<PolystoreEvent> replies(OutboxReader outbox, UUID order) {
        return outbox.eventsFor(order.toString()).stream().map(EventEnvelope::data).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> deadLetterConsumer() {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.deadLetter("catalog-service")));
        return consumer;
    }

    private String product(int stock) {
        return products.create(new CreateProductRequest("SKU-" + UUID.randomUUID(), "Via Kafka " + UUID.randomUUID(),
                null, new PriceRequest(BigDecimal.TEN, "EUR"), null, null, true, stock)).id();
    }
}
