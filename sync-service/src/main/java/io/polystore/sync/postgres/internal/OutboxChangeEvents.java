package io.polystore.sync.postgres.internal;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import io.polystore.sync.relay.OutboxEntry;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns Debezium change events of order-service's {@code outbox_event} table into outbox entries: inserts (and
 * snapshot reads) become events, everything else (the retention clean-up's deletes, heartbeats) is skipped. The
 * row's columns are the CloudEvents attributes; decoding them with the platform's codec is the check that a
 * consumer will be able to read the record, so a row that fails it is dead-lettered instead.
 */
public final class OutboxChangeEvents {

    private static final Logger log = LoggerFactory.getLogger(OutboxChangeEvents.class);

    private final EventCodec codec;

    public OutboxChangeEvents(EventCodec codec) {
        this.codec = codec;
    }

    public Optional<OutboxEntry> toEntry(SourceRecord record) {
        if (!(record.value() instanceof Struct change) || change.schema().field("op") == null) {
            return Optional.empty();
        }
        String op = change.getString("op");
        if (!"c".equals(op) && !"r".equals(op)) {
            // Updates, deletes and truncates are skipped by Debezium already: anything else would be dropped unseen.
            log.warn("Skipping a change event of {} with op '{}' at {}", record.topic(), op, record.sourceOffset());
            return Optional.empty();
        }
        Struct row = change.getStruct("after");
        Struct source = change.getStruct("source");
        Instant committedAt = Instant.ofEpochMilli(source.getInt64("ts_ms"));
        return Optional.of(toEntry(row, committedAt));
    }

    OutboxEntry toEntry(Struct row, Instant committedAt) {
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", EventEnvelope.SPEC_VERSION);
        attributes.put("id", string(row, "id"));
        attributes.put("source", string(row, "ce_source"));
        attributes.put("type", string(row, "type"));
        attributes.put("subject", string(row, "aggregateid"));
        attributes.put("time", string(row, "ce_time"));
        attributes.put("schemaversion", string(row, "ce_schemaversion"));
        attributes.put("datacontenttype", EventEnvelope.DATA_CONTENT_TYPE);
        String traceparent = string(row, "ce_traceparent");
        if (traceparent != null) {
            attributes.put("traceparent", traceparent);
        }
        attributes.values().removeIf(value -> value == null);
        String topic = string(row, "aggregatetype");
        String payload = string(row, "payload");
        byte[] value = payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
        try {
            EventEnvelope envelope = codec.fromBinary(attributes, value);
            String expectedTopic = EventTypes.of(envelope.data().getClass()).topic();
            if (!expectedTopic.equals(topic)) {
                return malformed(topic, row, value, attributes, "aggregatetype '" + topic + "' is not the topic of "
                        + envelope.type() + " (" + expectedTopic + ")", committedAt);
            }
            return new OutboxEntry.Event(envelope, committedAt);
        } catch (RuntimeException e) {
            return malformed(topic, row, value, attributes, e.getMessage(), committedAt);
        }
    }

    private static OutboxEntry malformed(String topic, Struct row, byte[] value, Map<String, String> attributes,
                                         String reason, Instant committedAt) {
        return new OutboxEntry.Malformed(topic, string(row, "aggregateid"), value == null ? new byte[0] : value,
                attributes, "malformed outbox row: " + reason, committedAt);
    }

    private static String string(Struct row, String column) {
        if (row.schema().field(column) == null) {
            return null;
        }
        Object value = row.get(column);
        return value == null ? null : value.toString();
    }
}
