package io.polystore.gateway.support;

import io.polystore.events.AccessDecided;
import io.polystore.events.AccountChanged;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Reads {@code audit.events} from the test broker as the audit service would: access decisions, account changes. */
public final class AuditEvents {

    private static AuditEvents instance;

    private final List<EventEnvelope> received = new CopyOnWriteArrayList<>();

    private AuditEvents() {
    }

    public static synchronized AuditEvents get() {
        if (instance == null) {
            instance = new AuditEvents();
            Thread.ofPlatform().daemon().name("audit-events-reader").start(instance::read);
        }
        return instance;
    }

    /** Waits for the access decision matching {@code match} and answers it. */
    public AccessDecided awaitDecision(Predicate<AccessDecided> match) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> decisions().stream().filter(match).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    /** Waits for the account change matching {@code match} and answers it. */
    public AccountChanged awaitAccountChange(Predicate<AccountChanged> match) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> received.stream().map(EventEnvelope::data)
                .filter(AccountChanged.class::isInstance).map(AccountChanged.class::cast).filter(match).findFirst(),
                java.util.Optional::isPresent).orElseThrow();
    }

    public List<AccessDecided> decisions() {
        return received.stream().map(EventEnvelope::data)
                .filter(AccessDecided.class::isInstance).map(AccessDecided.class::cast).toList();
    }

    public List<EventEnvelope> envelopes() {
        return List.copyOf(received);
    }

    private void read() {
        KafkaEventBinding binding = new KafkaEventBinding(new EventCodec());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "gateway-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(Topics.AUDIT_EVENTS));
            while (true) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(binding.fromConsumerRecord(record));
                }
            }
        }
    }
}
