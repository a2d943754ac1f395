package io.polystore.gateway.audit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.events.AccessDecided;
import io.polystore.events.EventCodec;
import io.polystore.events.kafka.KafkaEventBinding;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

class AccessAuditPublisherTest {

    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final FlakyKafka kafka = new FlakyKafka();
    AccessAuditPublisher publisher;

    @AfterEach
    void stop() {
        kafka.up();
        publisher.stop();
    }

    @Test
    void keepsDecisionsWhileKafkaIsDownAndSendsEachOnceWhenItIsBack() {
        publisher = start(100);
        kafka.down();

        IntStream.range(0, 20).forEach(index -> publisher.publish(decision("user-" + index)));
        await().until(() -> kafka.refusals > 0);
        kafka.up();

        await().untilAsserted(() -> assertThat(kafka.sent).hasSize(20));
        assertThat(kafka.sent.stream().map(record -> record.key()).toList())
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(index -> "user-" + index).toList());
        assertThat(kafka.sent.stream().map(AccessAuditPublisherTest::eventId).distinct()).hasSize(20);
        assertThat(kafka.attemptedIds).containsAll(kafka.sent.stream().map(AccessAuditPublisherTest::eventId).toList());
        assertThat(meters.counter("polystore.gateway.audit.published").count()).isEqualTo(20);
        assertThat(meters.counter("polystore.gateway.audit.dropped").count()).isZero();
    }

    @Test
    void dropsAndCountsWhatDoesNotFitWhileKafkaIsDown() {
        publisher = start(5);
        kafka.down();

        IntStream.range(0, 50).forEach(index -> publisher.publish(decision("user-" + index)));

        assertThat(meters.counter("polystore.gateway.audit.dropped").count()).isGreaterThanOrEqualTo(44);
        assertThat(meters.get("polystore.gateway.audit.buffered").gauge().value()).isLessThanOrEqualTo(5);
    }

    @Test
    void neverHoldsUpTheCallerEvenWhenSendingBlocks() {
        publisher = start(1000);
        kafka.block();

        assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> IntStream.range(0, 500).forEach(index -> publisher.publish(decision("user-" + index))));
    }

    private AccessAuditPublisher start(int capacity) {
        AuditProperties properties = new AuditProperties(true, capacity, Duration.ofMillis(20), Duration.ofMillis(500), List.of());
        AccessAuditPublisher started = new AccessAuditPublisher(kafka::send, new KafkaEventBinding(new EventCodec()),
                properties, Clock.systemUTC(), meters);
        started.start();
        return started;
    }

    private static AccessDecided decision(String principal) {
        return new AccessDecided(principal, "client", "GET", "orders", 200, AccessDecided.Decision.ALLOW, 120,
                "10.0.0.1", Instant.now());
    }

    private static String eventId(ProducerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8);
    }

    /** Stands in for KafkaTemplate.send: refuses while down, as a send does once max.block.ms has passed. */
    static final class FlakyKafka {
        final List<ProducerRecord<String, byte[]>> sent = new CopyOnWriteArrayList<>();
        final List<String> attemptedIds = new CopyOnWriteArrayList<>();
        volatile boolean down;
        volatile int refusals;
        volatile CountDownLatch blocked = new CountDownLatch(0);

        CompletableFuture<?> send(ProducerRecord<String, byte[]> record) {
            try {
                blocked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            attemptedIds.add(eventId(record));
            if (down) {
                refusals++;
                throw new IllegalStateException("Topic audit.events not present in metadata after 2000 ms.");
            }
            sent.add(record);
            return CompletableFuture.completedFuture(null);
        }

        void down() {
            down = true;
        }

        void up() {
            down = false;
            blocked.countDown();
        }

        void block() {
            blocked = new CountDownLatch(1);
        }
    }
}
