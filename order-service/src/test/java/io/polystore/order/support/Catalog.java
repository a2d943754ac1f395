package io.polystore.order.support;

import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.OrderLine;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ProductChanged;
import io.polystore.events.StockRejected;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/** Plays catalog-service: publishes its events to Kafka, as sync-service will relay them. */
@TestComponent
public class Catalog {

    private static final AtomicLong VERSIONS = new AtomicLong(1);

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaEventBinding binding;
    private final JdbcClient jdbc;

    Catalog(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, JdbcClient jdbc) {
        this.kafka = kafka;
        this.binding = binding;
        this.jdbc = jdbc;
    }

    /** A new product id with a price, once the order service holds its snapshot. */
    public String product(String price, String currency) {
        String productId = "product-" + UUID.randomUUID();
        announce(productId, price, currency, true, VERSIONS.incrementAndGet());
        awaitSnapshot(productId);
        return productId;
    }

    public ProductChanged announce(String productId, String price, String currency, boolean active, long version) {
        ProductChanged changed = new ProductChanged(productId, "SKU-" + productId.hashCode(), "Product " + productId,
                new Money(new BigDecimal(price), currency), active, version, Instant.now());
        publish(changed);
        return changed;
    }

    public void awaitSnapshot(String productId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM price_snapshot WHERE product_id = :id")
                .param("id", productId).query(Long.class).single() == 1);
    }

    /** How many partitions the catalog's replies are spread over. */
    public int replyPartitions() {
        return kafka.partitionsFor(Topics.CATALOG_EVENTS).size();
    }

    public EventEnvelope reserved(UUID orderId, String reservationId, String... productIds) {
        return publish(new StockReserved(orderId, reservationId, lines(productIds), Instant.now().plus(Duration.ofMinutes(15))));
    }

    public EventEnvelope rejected(UUID orderId, String productId) {
        return publish(new StockRejected(orderId, List.of(
                new StockRejected.Rejection(productId, 2, 1, StockRejected.Reason.INSUFFICIENT_STOCK))));
    }

    public EventEnvelope released(UUID orderId, String reservationId) {
        return publish(new StockReleased(orderId, reservationId));
    }

    public EventEnvelope publish(PolystoreEvent event) {
        return publish(EventEnvelope.of(event, "/catalog-service", Clock.systemUTC()));
    }

    /** Publishes the envelope as it is, e.g. once more to redeliver it. */
    public EventEnvelope publish(EventEnvelope envelope) {
        try {
            kafka.send(binding.toProducerRecord(envelope)).get();
            return envelope;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<OrderLine> lines(String... productIds) {
        return java.util.Arrays.stream(productIds).map(productId -> new OrderLine(productId, 2)).toList();
    }
}
