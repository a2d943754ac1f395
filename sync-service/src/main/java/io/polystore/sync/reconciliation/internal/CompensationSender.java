package io.polystore.sync.reconciliation.internal;

import io.polystore.events.EventEnvelope;
import io.polystore.events.ReleaseStock;
import io.polystore.events.kafka.KafkaEventBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes compensating commands in the platform's CloudEvents binary mode and waits for Kafka's acknowledgement. */
public final class CompensationSender {

    private static final Logger log = LoggerFactory.getLogger(CompensationSender.class);
    private static final URI SOURCE = URI.create("/sync-service");

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaEventBinding binding;
    private final Duration timeout;
    private final Clock clock;

    public CompensationSender(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, Duration timeout, Clock clock) {
        this.kafka = kafka;
        this.binding = binding;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Returns whether Kafka acknowledged the command. Its id follows from the order and the reason (which names the
     * reservation's status), so the runs that find the same drift before the catalog acted send the same event,
     * and the catalog's inbox applies it once.
     */
    public boolean send(ReleaseStock command) {
        String id = UUID.nameUUIDFromBytes(("polystore.sync.reconciliation " + command.orderId() + " " + command.reason())
                .getBytes(StandardCharsets.UTF_8)).toString();
        EventEnvelope envelope = new EventEnvelope(id, SOURCE, clock.instant(), null, command);
        try {
            kafka.send(binding.toProducerRecord(envelope)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("ReleaseStock for order {} was not acknowledged by Kafka: {}", command.orderId(), e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
