package io.polystore.servicedefaults;

import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderCancelled;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.servicedefaults.sample.SampleApplication;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.core.KafkaTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(classes = SampleApplication.class, properties = "spring.application.name=sample-service")
@UsePostgres(database = "sample")
@UseKafka
@UseTestTokens
class MessagingDefaultsIT {

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaEventBinding binding;

    @Autowired
    SampleApplication.OrderEventsListener listener;

    @Test
    void anUnreadableRecordGoesToTheDeadLetterTopicWithItsReasonAndTheConsumerGoesOn() throws Exception {
        UUID unknownOrder = UUID.randomUUID();
        ProducerRecord<String, byte[]> unknownType = binding.toProducerRecord(
                EventEnvelope.of(new OrderCancelled(unknownOrder, Instant.now()), "/test", Clock.systemUTC()));
        unknownType.headers().remove("ce_type").add("ce_type", "io.polystore.order.NoSuchEvent".getBytes(StandardCharsets.UTF_8));
        kafka.send(unknownType).get();
        EventEnvelope valid = EventEnvelope.of(new OrderCancelled(UUID.randomUUID(), Instant.now()), "/test", Clock.systemUTC());
        kafka.send(binding.toProducerRecord(valid)).get();

        await().atMost(Duration.ofSeconds(30)).until(() -> listener.received().contains(valid));
        ConsumerRecord<String, byte[]> deadLetter = firstRecordOf(Topics.deadLetter("sample-service"));
        assertThat(deadLetter.key()).isEqualTo(unknownOrder.toString());
        assertThat(deadLetter.value()).isEqualTo(unknownType.value());
        assertThat(new String(deadLetter.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8))
                .contains("io.polystore.order.NoSuchEvent");
    }

    private static ConsumerRecord<String, byte[]> firstRecordOf(String topic) {
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlt-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, byte[]>[] found = new ConsumerRecord[1];
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> found[0] = found[0] == null ? record : found[0]);
                return found[0] != null;
            });
            return found[0];
        }
    }
}
