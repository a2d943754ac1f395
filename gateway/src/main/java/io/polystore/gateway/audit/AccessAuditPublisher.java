package io.polystore.gateway.audit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.polystore.events.AccessDecided;
import io.polystore.events.EventEnvelope;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Publishes access decisions to Kafka without ever holding up a request: {@link #publish} only puts the event in a
 * bounded buffer, and one background thread sends from it. While Kafka is down, events wait in the buffer (a failed
 * send goes back to its front, with the same event id, so the audit service stores it once); when the buffer is full,
 * new events are dropped and counted ({@code polystore.gateway.audit.dropped}), so memory stays bounded.
 */
public final class AccessAuditPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AccessAuditPublisher.class);
    private static final String SOURCE = "/gateway";

    private final Function<ProducerRecord<String, byte[]>, CompletableFuture<?>> sender;
    private final KafkaEventBinding binding;
    private final AuditProperties properties;
    private final Clock clock;
    private final BlockingDeque<EventEnvelope> buffer;
    private final Counter published;
    private final Counter dropped;
    private final Counter sendFailures;
    private volatile boolean running;
    private volatile boolean kafkaFailing;
    private Thread worker;

    /**
     * @param sender hands a record to Kafka (a {@code KafkaTemplate::send}); may block while Kafka is unreachable,
     *               but only the publisher's own thread calls it
     */
    public AccessAuditPublisher(Function<ProducerRecord<String, byte[]>, CompletableFuture<?>> sender,
                                KafkaEventBinding binding, AuditProperties properties, Clock clock, MeterRegistry meters) {
        this.sender = sender;
        this.binding = binding;
        this.properties = properties;
        this.clock = clock;
        this.buffer = new LinkedBlockingDeque<>(properties.bufferCapacity());
        this.published = meters.counter("polystore.gateway.audit.published");
        this.dropped = meters.counter("polystore.gateway.audit.dropped");
        this.sendFailures = meters.counter("polystore.gateway.audit.send.failures");
        meters.gaugeCollectionSize("polystore.gateway.audit.buffered", Tags.empty(), buffer);
    }

    /** Never blocks: buffers the event, or drops and counts it when the buffer is full. */
    public void publish(AccessDecided decision) {
        if (!buffer.offerLast(EventEnvelope.of(decision, SOURCE, clock))) {
            dropped.increment();
        }
    }

    int buffered() {
        return buffer.size();
    }

    private void run() {
        while (running || !buffer.isEmpty()) {
            EventEnvelope next;
            try {
                next = buffer.pollFirst(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (next != null) {
                send(next);
            }
        }
    }

    private void send(EventEnvelope envelope) {
        try {
            sender.apply(binding.toProducerRecord(envelope)).whenComplete((result, failure) -> {
                if (failure == null) {
                    published.increment();
                    if (kafkaFailing) {
                        kafkaFailing = false;
                        log.info("Kafka takes access decisions again; {} still buffered", buffer.size());
                    }
                } else {
                    retryLater(envelope, failure);
                }
            });
        } catch (RuntimeException failure) {
            retryLater(envelope, failure);
            pauseAfterFailure();
        }
    }

    private void retryLater(EventEnvelope envelope, Throwable failure) {
        sendFailures.increment();
        if (!kafkaFailing) {
            kafkaFailing = true;
            log.warn("Cannot send access decisions to Kafka ({}); buffering up to {} of them", failure.getMessage(),
                    properties.bufferCapacity());
        }
        if (!buffer.offerFirst(envelope)) {
            dropped.increment();
        }
    }

    private void pauseAfterFailure() {
        try {
            Thread.sleep(properties.retryBackoff());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        worker = Thread.ofPlatform().name("access-audit-publisher").daemon().start(this::run);
    }

    /** Sends what is buffered, for at most {@code drain-on-shutdown}, then stops. */
    @Override
    public void stop() {
        running = false;
        Instant deadline = clock.instant().plus(properties.drainOnShutdown());
        try {
            worker.join(Duration.between(clock.instant(), deadline).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            worker.interrupt();
        }
        if (!buffer.isEmpty()) {
            log.warn("Stopped with {} access decisions unsent", buffer.size());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Started before the web server takes requests and stopped after it has finished them. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
