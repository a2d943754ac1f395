package io.polystore.catalog.reservation;

import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderConfirmed;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Takes {@link OrderConfirmed} from {@code orders.events}; the other order events concern the catalog not. */
@Component
class OrderEventListener {

    private final KafkaEventBinding binding;
    private final StockReservations reservations;

    OrderEventListener(KafkaEventBinding binding, StockReservations reservations) {
        this.binding = binding;
        this.reservations = reservations;
    }

    @KafkaListener(topics = Topics.ORDERS_EVENTS)
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        if (envelope.data() instanceof OrderConfirmed confirmed) {
            reservations.confirm(envelope, confirmed);
        }
    }
}
