package io.polystore.events;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.UUID;

/**
 * A CloudEvents 1.0 event around a {@link PolystoreEvent}. Only the attributes that vary are components;
 * {@code type} and {@code schemaversion} follow from the data's {@link EventType}, {@code subject} is the
 * data's aggregate id, and {@code specversion} and {@code datacontenttype} are fixed, so an envelope
 * cannot contradict its data.
 *
 * @param id unique per event (a UUID), the key for consumers' idempotency checks
 * @param source the producing service, e.g. {@code /order-service}
 * @param time when the event happened
 * @param traceparent the W3C trace context of the producing request, sent as an extension; null without one
 * @param data the event
 */
public record EventEnvelope(String id, URI source, Instant time, String traceparent, PolystoreEvent data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String DATA_CONTENT_TYPE = "application/json";

    public EventEnvelope {
        Require.notBlank(id, "id");
        if (Require.notNull(source, "source").toString().isEmpty()) {
            throw new IllegalArgumentException("source must not be empty");
        }
        Require.notNull(time, "time");
        Require.nullOrNotBlank(traceparent, "traceparent");
        Require.notNull(data, "data");
    }

    /** A new envelope with a fresh id, stamped with the clock's current time. */
    public static EventEnvelope of(PolystoreEvent event, String source, Clock clock) {
        URI sourceUri = URI.create(Require.notBlank(source, "source"));
        return new EventEnvelope(UUID.randomUUID().toString(), sourceUri, clock.instant(), null, event);
    }

    public EventEnvelope withTraceparent(String traceparent) {
        return new EventEnvelope(id, source, time, traceparent, data);
    }

    public String specversion() {
        return SPEC_VERSION;
    }

    public String type() {
        return EventTypes.of(data.getClass()).name();
    }

    public int schemaversion() {
        return EventTypes.of(data.getClass()).version();
    }

    public String subject() {
        return data.aggregateId();
    }

    public String datacontenttype() {
        return DATA_CONTENT_TYPE;
    }

    /**
     * The context attributes by their CloudEvents names in their canonical string form, as the binary
     * modes carry them; {@code traceparent} only when present.
     */
    public SequencedMap<String, String> attributes() {
        SequencedMap<String, String> attributes = new LinkedHashMap<>();
        attributes.put("specversion", specversion());
        attributes.put("id", id);
        attributes.put("source", source.toString());
        attributes.put("type", type());
        attributes.put("subject", subject());
        attributes.put("time", time.toString());
        attributes.put("datacontenttype", datacontenttype());
        attributes.put("schemaversion", Integer.toString(schemaversion()));
        if (traceparent != null) {
            attributes.put("traceparent", traceparent);
        }
        return Collections.unmodifiableSequencedMap(attributes);
    }
}
