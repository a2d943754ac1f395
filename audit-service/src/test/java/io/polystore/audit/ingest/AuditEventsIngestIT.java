package io.polystore.audit.ingest;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.audit.AuditDatabase;
import io.polystore.audit.AuditServiceTest;
import io.polystore.events.AccessDecided;
import io.polystore.events.AccountChanged;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderCancelled;
import io.polystore.events.PersonalDataAccessed;
import io.polystore.events.SagaTransitioned;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@AuditServiceTest
class AuditEventsIngestIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Clock CLOCK = Clock.systemUTC();

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaEventBinding binding;

    @Autowired
    MeterRegistry meters;

    @Value("${local.server.port}")
    int port;

    @Test
    void storesEachAuditEventWithItsPersonalDataEncrypted() throws Exception {
        String principal = "alice-" + UUID.randomUUID();
        String customer = "bob-" + UUID.randomUUID();
        EventEnvelope access = EventEnvelope.of(new AccessDecided(principal, "web", "GET", "orders", 403,
                AccessDecided.Decision.DENY, 850, "198.51.100.23", CLOCK.instant()), "/gateway", CLOCK);
        EventEnvelope read = EventEnvelope.of(new PersonalDataAccessed(principal, customer,
                PersonalDataAccessed.Action.READ, "support-ticket-4711", CLOCK.instant()), "/order-service", CLOCK);
        UUID orderId = UUID.randomUUID();
        EventEnvelope saga = EventEnvelope.of(new SagaTransitioned(orderId, "PENDING", "CONFIRMED", "StockReserved",
                CLOCK.instant()), "/order-service", CLOCK);
        double lagSamplesBefore = lagSamples();

        publish(access, read, saga);

        JsonNode byActor = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/audit/records?actor=" + encode(principal)).path("records"), records -> records.size() == 2);
        // Different keys, different partitions: the chain holds them in the order they were consumed.
        JsonNode accessRecord = withEventId(byActor, access.id());
        assertThat(accessRecord.path("action").asString()).isEqualTo("ACCESS_DENY");
        assertThat(accessRecord.path("subject").asString()).isEqualTo(principal);
        assertThat(accessRecord.path("clientAddress").asString()).isEqualTo("198.51.100.23");
        assertThat(accessRecord.path("details").path("status").asInt()).isEqualTo(403);
        JsonNode readRecord = withEventId(byActor, read.id());
        assertThat(readRecord.path("action").asString()).isEqualTo("PERSONAL_DATA_READ");
        assertThat(readRecord.path("subject").asString()).isEqualTo(customer);
        assertThat(readRecord.path("details").path("purpose").asString()).isEqualTo("support-ticket-4711");
        JsonNode bySubject = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/audit/records?action=SAGA_TRANSITION&subject=" + orderId).path("records"), records -> records.size() == 1);
        assertThat(bySubject.get(0).path("action").asString()).isEqualTo("SAGA_TRANSITION");
        assertThat(bySubject.get(0).path("details").path("to").asString()).isEqualTo("CONFIRMED");
        assertThat(bySubject.get(0).has("actor")).isFalse();
        assertThat(storedRow(access.id())).doesNotContain(principal, hex(principal), "198.51.100.23", hex("198.51.100.23"));
        assertThat(storedRow(read.id())).doesNotContain(customer, hex(customer), principal, hex(principal));
        assertThat(lagSamples()).isGreaterThanOrEqualTo(lagSamplesBefore + 3);
    }

    @Test
    void storesAccountChangesUnderTheAccount() throws Exception {
        String account = "dora-" + UUID.randomUUID();
        EventEnvelope granted = EventEnvelope.of(new AccountChanged("adam", account, AccountChanged.Change.ROLE_GRANTED,
                "AUDITOR", List.of("AUDITOR", "CUSTOMER"), CLOCK.instant()), "/gateway", CLOCK);

        publish(granted);

        JsonNode records = await().atMost(Duration.ofSeconds(20)).until(
                () -> get("/audit/records?action=ACCOUNT_CHANGE&subject=" + encode(account)).path("records"),
                found -> found.size() == 1);
        assertThat(records.get(0).path("actor").asString()).isEqualTo("adam");
        assertThat(records.get(0).path("details").path("change").asString()).isEqualTo("ROLE_GRANTED");
        assertThat(records.get(0).path("details").path("roles").toString()).isEqualTo("[\"AUDITOR\",\"CUSTOMER\"]");
        assertThat(storedRow(granted.id())).doesNotContain(account, hex(account));
    }

    @Test
    void aRedeliveredEventIsStoredOnce() throws Exception {
        String principal = "carol-" + UUID.randomUUID();
        EventEnvelope once = accessBy(principal, 200);
        EventEnvelope after = accessBy(principal, 201);

        // Same key, same partition: once "after" is stored, both copies of "once" have been consumed.
        publish(once, once);
        publish(once, after);

        await().atMost(Duration.ofSeconds(20)).until(() -> timesStored(after.id()) == 1);
        assertThat(timesStored(once.id())).isEqualTo(1);
        assertThat(get("/audit/records?actor=" + encode(principal)).path("records").size()).isEqualTo(2);
    }

    @Test
    void aMalformedEventGoesToTheDeadLetterTopicWithItsReasonAndTheRestIsStored() throws Exception {
        String principal = "dave-" + UUID.randomUUID();
        EventEnvelope before = accessBy(principal, 200);
        EventEnvelope after = accessBy(principal, 204);
        ProducerRecord<String, byte[]> malformed = binding.toProducerRecord(accessBy(principal, 202));
        ProducerRecord<String, byte[]> broken = new ProducerRecord<>(malformed.topic(), principal,
                "{\"principal\": 42}".getBytes(StandardCharsets.UTF_8));
        malformed.headers().forEach(header -> broken.headers().add(header));
        ProducerRecord<String, byte[]> notAudit = binding.toProducerRecord(EventEnvelope.of(
                new OrderCancelled(UUID.randomUUID(), CLOCK.instant()), "/order-service", CLOCK));
        ProducerRecord<String, byte[]> misrouted = new ProducerRecord<>(Topics.AUDIT_EVENTS, principal, notAudit.value());
        notAudit.headers().forEach(header -> misrouted.headers().add(header));

        kafka.send(binding.toProducerRecord(before)).get();
        kafka.send(broken).get();
        kafka.send(misrouted).get();
        kafka.send(binding.toProducerRecord(after)).get();

        List<ConsumerRecord<String, byte[]>> deadLetters = awaitDeadLetters(principal, 2);
        assertThat(reason(deadLetters.get(0))).contains("invalid data of io.polystore.audit.AccessDecided");
        assertThat(new String(deadLetters.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"principal\": 42}");
        assertThat(reason(deadLetters.get(1))).contains("io.polystore.order.OrderCancelled is not an audit event");
        await().atMost(Duration.ofSeconds(20)).until(() -> timesStored(after.id()) == 1);
        assertThat(timesStored(before.id())).isEqualTo(1);
    }

    private static JsonNode withEventId(JsonNode records, String eventId) {
        for (JsonNode record : records) {
            if (record.path("eventId").asString().equals(eventId)) {
                return record;
            }
        }
        throw new AssertionError("no record of event " + eventId + " in " + records);
    }

    private EventEnvelope accessBy(String principal, int status) {
        return EventEnvelope.of(new AccessDecided(principal, null, "GET", "catalog", status,
                AccessDecided.Decision.ALLOW, 120, "192.0.2.1", CLOCK.instant()), "/gateway", CLOCK);
    }

    private void publish(EventEnvelope... envelopes) throws Exception {
        for (EventEnvelope envelope : envelopes) {
            kafka.send(binding.toProducerRecord(envelope)).get();
        }
    }

    private List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String key, int count) {
        List<ConsumerRecord<String, byte[]>> found = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServers.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letter-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.deadLetter("audit-service")));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                });
                return found.size() >= count;
            });
        }
        return found;
    }

    private static String reason(ConsumerRecord<String, byte[]> deadLetter) {
        return new String(deadLetter.headers().lastHeader("kafka_dlt-exception-message").value(), StandardCharsets.UTF_8);
    }

    private double lagSamples() {
        return meters.get("audit.ingest.lag").timer().count();
    }

    private static int timesStored(String eventId) throws SQLException {
        try (Connection connection = AuditDatabase.asSuperuser();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM audit.record WHERE event_id = ?")) {
            query.setString(1, eventId);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    /** Every stored column of the record as text (byte strings in hex), as someone reading the database sees it. */
    private static String storedRow(String eventId) throws SQLException {
        try (Connection connection = AuditDatabase.asSuperuser();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT r::text FROM audit.record r WHERE event_id = ?")) {
            query.setString(1, eventId);
            try (ResultSet result = query.executeQuery()) {
                assertThat(result.next()).isTrue();
                return result.getString(1);
            }
        }
    }

    private static String hex(String text) {
        return HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .header("Authorization", "Bearer " + SharedServers.tokens().tokenFor("adam", "ADMIN")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
