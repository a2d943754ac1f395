package io.polystore.order.messaging;

import io.polystore.events.EventEnvelope;
import io.polystore.events.ProductChanged;
import io.polystore.events.StockRejected;
import io.polystore.events.StockReleased;
import io.polystore.events.StockReserved;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.order.pricing.PriceSnapshots;
import io.polystore.order.saga.OrderPlacementSaga;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The one consumer of {@code catalog.events} (one listener per topic and group, so that each gets every partition):
 * prices go to the snapshot, stock replies to the saga. A record that fails is retried and then dead-lettered by
 * the platform's error handler; one that cannot be decoded is dead-lettered at once.
 */
@Component
class CatalogEventsListener {

    private final KafkaEventBinding binding;
    private final PriceSnapshots prices;
    private final OrderPlacementSaga saga;

    CatalogEventsListener(KafkaEventBinding binding, PriceSnapshots prices, OrderPlacementSaga saga) {
        this.binding = binding;
        this.prices = prices;
        this.saga = saga;
    }

    @KafkaListener(topics = Topics.CATALOG_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        switch (envelope.data()) {
            case ProductChanged changed -> prices.apply(changed);
            case StockReserved reserved -> saga.onStockReserved(envelope.id(), reserved);
            case StockRejected rejected -> saga.onStockRejected(envelope.id(), rejected);
            case StockReleased released -> saga.onStockReleased(envelope.id(), released);
            default -> {
                // Other catalog events are for other services.
            }
        }
    }
}
