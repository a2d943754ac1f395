package io.polystore.sync.relay;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.polystore.events.EventTypes;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.observability.EventTracing;
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
 *
 * <p>Each event is sent in a span of its own that continues the trace its writer stamped on it ({@code traceparent}),
 * from the send until Kafka acknowledged the batch; Kafka's observation carries that span into the record's headers.
 */
public final class OutboxPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaEventBinding binding;
    private final RelayMetrics metrics;
    private final String deadLetterTopic;
    private final Duration timeout;
    private final Clock clock;
    private final EventTracing tracing;

    public OutboxPublisher(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, RelayMetrics metrics,
                           String deadLetterTopic, Duration timeout, Clock clock, EventTracing tracing) {
        this.kafka = kafka;
        this.binding = binding;
        this.metrics = metrics;
        this.deadLetterTopic = deadLetterTopic;
        this.timeout = timeout;
        this.clock = clock;
        this.tracing = tracing;
    }

    /**
     * @throws RelayPublishException when Kafka did not acknowledge every record in time; some may have been
     *                               published, so the caller retries the whole batch (consumers' inboxes absorb the duplicates)
     */
    public void publish(String source, List<? extends OutboxEntry> entries) throws InterruptedException {
        List<CompletableFuture<SendResult<String, byte[]>>> sends = new ArrayList<>(entries.size());
        List<Span> spans = new ArrayList<>(entries.size());
        try {
            for (OutboxEntry entry : entries) {
                Span span = startSpan(source, entry);
                spans.add(span);
                try (Tracer.SpanInScope ignored = tracing.inScope(span)) {
                    sends.add(kafka.send(toRecord(entry)));
                }
            }
            awaitAcknowledgements(source, entries, sends, spans);
        } finally {
            spans.forEach(Span::end);
        }
    }

    private void awaitAcknowledgements(String source, List<? extends OutboxEntry> entries,
                                       List<CompletableFuture<SendResult<String, byte[]>>> sends, List<Span> spans)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < sends.size(); i++) {
            OutboxEntry entry = entries.get(i);
            try {
                sends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                spans.get(i).error(e);
                throw new RelayPublishException("Kafka did not acknowledge a record from " + source, e);
            }
            switch (entry) {
                case OutboxEntry.Event event -> metrics.relayed(source, EventTypes.of(event.envelope().data().getClass()).topic());
                case OutboxEntry.Malformed ignored -> metrics.deadLettered(source);
            }
            metrics.lag(source, Duration.between(entry.committedAt(), clock.instant()));
        }
    }

    private Span startSpan(String source, OutboxEntry entry) {
        return switch (entry) {
            case OutboxEntry.Event event -> tracing.startChildOf(event.envelope().traceparent(),
                            "relay " + event.envelope().data().getClass().getSimpleName(), Span.Kind.PRODUCER)
                    .tag("polystore.relay.source", source)
                    .tag("cloudevents.event_id", event.envelope().id())
                    .tag("cloudevents.event_type", event.envelope().type());
            case OutboxEntry.Malformed malformed -> tracing.startChildOf(malformed.attributes().get("traceparent"),
                            "relay to dead-letter topic", Span.Kind.PRODUCER)
                    .tag("polystore.relay.source", source);
        };
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
