package io.polystore.sync.surreal.internal;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import io.polystore.surrealdb.RecordId;
import io.polystore.sync.relay.OutboxEntry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a row of catalog-service's outbox, as the change feed shows it, into an outbox entry: the payload is the
 * event in CloudEvents structured JSON, decoded here and published in binary mode. A row that does not decode, or
 * whose topic is not its type's, is dead-lettered.
 */
public final class ChangeFeedEntries {

    private final EventCodec codec;

    public ChangeFeedEntries(EventCodec codec) {
        this.codec = codec;
    }

    /** The commit time SurrealDB encodes in a versionstamp: {@code (epoch_ms << 16) | counter}. */
    public static Instant commitTime(long versionstamp) {
        return Instant.ofEpochMilli(versionstamp >>> 16);
    }

    /** When the row's event was written, by catalog-service's clock: the commit time of a row read from the table. */
    public static Instant writtenAt(Map<String, Object> row) {
        return row.get("occurred_at") instanceof Instant written ? written : Instant.EPOCH;
    }

    /** @param committedAt when the store committed the row, for the relay's lag */
    public OutboxEntry toEntry(Map<String, Object> row, Instant committedAt) {
        String topic = text(row.get("topic"));
        String key = text(row.get("key"));
        String payload = text(row.get("payload"));
        byte[] value = payload == null ? new byte[0] : payload.getBytes(StandardCharsets.UTF_8);
        try {
            EventEnvelope envelope = codec.fromStructuredJson(value);
            String expectedTopic = EventTypes.of(envelope.data().getClass()).topic();
            if (!expectedTopic.equals(topic)) {
                return malformed(row, topic, key, value, "topic '" + topic + "' is not the topic of " + envelope.type()
                        + " (" + expectedTopic + ")", committedAt);
            }
            return new OutboxEntry.Event(envelope, committedAt);
        } catch (RuntimeException e) {
            return malformed(row, topic, key, value, e.getMessage(), committedAt);
        }
    }

    private static OutboxEntry malformed(Map<String, Object> row, String topic, String key, byte[] value, String reason,
                                         Instant committedAt) {
        Map<String, String> attributes = new LinkedHashMap<>();
        if (row.get("id") instanceof RecordId id) {
            attributes.put("id", String.valueOf(id.key()));
        }
        String type = text(row.get("type"));
        if (type != null) {
            attributes.put("type", type);
        }
        return new OutboxEntry.Malformed(topic, key, value, attributes, "malformed outbox entry: " + reason, committedAt);
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
