package io.polystore.sync.relay;

import io.polystore.events.EventTypes;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.kafka.support.SendResult;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox entries to Kafka in CloudEvents binary mode, in the order given, and returns only when Kafka has
 * acknowledged every record: a relay advances its offset or cursor after this returns, never before (at-least-once).
 * Order per aggregate holds because the key is the aggregate id (same key, same partition) and the producer is
 * idempotent, which keeps a partition's records in send order even when it retries.
 */
public final class OutboxPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaEventBinding binding;
    private final RelayMetrics metrics;
    private final String deadLetterTopic;
    private final Duration timeout;
    private final Clock clock;

    public OutboxPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, RelayMetrics metrics,
                           String deadLetterTopic, Duration timeout, Clock clock) {
        this.kafka = kafka;
        this.binding = binding;
        this.metrics = metrics;
        this.deadLetterTopic = deadLetterTopic;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * @throws RelayPublishException when Kafka did not acknowledge every record in time; some may have been
     *                               published, so the caller retries the whole batch (consumers' inboxes absorb the duplicates)
     */
    public void publish(String source, List<? extends OutboxEntry> entries) throws InterruptedException {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            sends.add(kafka.send(toRecord(entry)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < sends.size(); i++) {
            OutboxEntry entry = entries.get(i);
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new RelayPublishException("Kafka did not acknowledge a record from " + source, e);
            }
            switch (entry) {
                case OutboxEntry.Event event -> metrics.relayed(source, EventTypes.of(event.envelope().data().getClass()).topic());
                case OutboxEntry.Malformed ignored -> metrics.deadLettered(source);
            }
            metrics.lag(source, Duration.between(entry.committedAt(), clock.instant()));
        }
    }

    private ProducerRecord<String, byte[]> toRecord(OutboxEntry entry) {
        return switch (entry) {
            case OutboxEntry.Event event -> binding.toProducerRecord(event.envelope());
            case OutboxEntry.Malformed malformed -> {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(deadLetterTopic, malformed.key(), malformed.value());
                malformed.attributes().forEach((name, value) -> record.headers().add(
                        name.equals("datacontenttype") ? "content-type" : "ce_" + name, utf8(value)));
                record.headers().add(KafkaHeaders.DLT_EXCEPTION_MESSAGE, utf8(malformed.reason()));
                if (malformed.topic() != null) {
                    record.headers().add(KafkaHeaders.DLT_ORIGINAL_TOPIC, utf8(malformed.topic()));
                }
                yield record;
            }
        };
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Kafka did not acknowledge a batch; nothing of it counts as relayed. */
    public static final class RelayPublishException extends RuntimeException {
        RelayPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
