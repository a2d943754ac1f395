package io.polystore.sync.federation.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventEnvelope;
import io.polystore.events.FederatedQueryRan;
import io.polystore.events.kafka.KafkaEventBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Publishes each ad-hoc query's audit event to {@code audit.events} without holding up the answer: the event is
 * handed to one background thread (Kafka's {@code send} can block while the broker is unknown), through a bounded
 * queue; when that is full the event is dropped and counted ({@code polystore.sync.federation.audit.dropped}).
 */
public final class QueryAuditor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QueryAuditor.class);
    private static final String SOURCE = "/sync-service";

    private final KafkaTemplate<String, byte[]> kafka;
    private final KafkaEventBinding binding;
    private final Clock clock;
    private final Counter dropped;
    private final Counter failed;
    private final ExecutorService sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(10_000), Thread.ofPlatform().name("federation-audit").daemon().factory());

    public QueryAuditor(KafkaTemplate<String, byte[]> kafka, KafkaEventBinding binding, Clock clock, MeterRegistry registry) {
        this.kafka = kafka;
        this.binding = binding;
        this.clock = clock;
        this.dropped = registry.counter("polystore.sync.federation.audit.dropped");
        this.failed = registry.counter("polystore.sync.federation.audit.failed");
    }

    public void record(FederatedQueryRan query) {
        EventEnvelope envelope = EventEnvelope.of(query, SOURCE, clock);
        try {
            sender.execute(() -> kafka.send(binding.toProducerRecord(envelope)).whenComplete((result, failure) -> {
                if (failure != null) {
                    failed.increment();
                    log.warn("Audit event {} of query {} not published: {}", envelope.id(), query.queryId(), failure.getMessage());
                }
            }));
        } catch (RejectedExecutionException e) {
            dropped.increment();
        }
    }

    @Override
    public void close() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(5, TimeUnit.SECONDS);
    }
}
