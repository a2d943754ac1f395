package io.polystore.catalog.reservation;

import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.ReleaseStock;
import io.polystore.events.ReserveStock;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Takes the order saga's commands from {@code catalog.commands}. A record that is not a readable command goes to the
 * dead-letter topic at once (the platform's error handler does not retry {@link EventDecodingException}); a failure
 * to apply one is retried with back-off, then dead-lettered, and the consumer goes on.
 */
@Component
class SagaCommandListener {

    private static final Logger log = LoggerFactory.getLogger(SagaCommandListener.class);

    private final KafkaEventBinding binding;
    private final StockReservations reservations;

    SagaCommandListener(KafkaEventBinding binding, StockReservations reservations) {
        this.binding = binding;
        this.reservations = reservations;
    }

    @KafkaListener(topics = Topics.CATALOG_COMMANDS)
    void on(ConsumerRecord<String, byte[]> record) {
        EventEnvelope envelope = binding.fromConsumerRecord(record);
        StockReservations.Outcome outcome = switch (envelope.data()) {
            case ReserveStock command -> reservations.reserve(envelope, command);
            case ReleaseStock command -> reservations.release(envelope, command);
            default -> throw new EventDecodingException(envelope.type() + " is not a command catalog-service takes on "
                    + Topics.CATALOG_COMMANDS);
        };
        log.debug("{} {} for order {}: {}", envelope.type(), envelope.id(), envelope.subject(), outcome);
    }
}
