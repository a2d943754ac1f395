package io.polystore.sync.relay;

import io.polystore.events.EventEnvelope;

import java.time.Instant;
import java.util.Map;

/** One entry of a store's outbox as read from its change log: an event to publish, or one to dead-letter. */
public sealed interface OutboxEntry {

    /** When the store committed the transaction that wrote the entry; the start of the CDC lag. */
    Instant committedAt();

    record Event(EventEnvelope envelope, Instant committedAt) implements OutboxEntry {
    }

    /**
     * An entry no consumer could read (bad JSON, unknown type, missing attribute): published as it was to the
     * dead-letter topic, with its reason and original topic, so that the relay moves on.
     */
    record Malformed(String topic, String key, byte[] value, Map<String, String> attributes, String reason,
                     Instant committedAt) implements OutboxEntry {
    }
}
