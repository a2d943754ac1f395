package io.polystore.sync.support;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import io.polystore.events.PolystoreEvent;
import io.polystore.surrealdb.SurrealClient;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes catalog-service's outbox rows as its {@code SurrealOutboxWriter} does: one transaction per call. */
public final class CatalogOutbox {

    private final SurrealClient surreal;
    private final EventCodec codec;

    public CatalogOutbox(SurrealClient surreal, EventCodec codec) {
        this.surreal = surreal;
        this.codec = codec;
    }

    /** Writes the events in one transaction and returns their envelopes once it committed. */
    public List<EventEnvelope> write(List<? extends PolystoreEvent> events) {
        List<EventEnvelope> envelopes = events.stream().map(e -> EventEnvelope.of(e, "/catalog-service", Clock.systemUTC())).toList();
        List<Map<String, Object>> rows = new ArrayList<>(envelopes.size());
        for (EventEnvelope envelope : envelopes) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("type", envelope.type());
            row.put("schema_version", envelope.schemaversion());
            row.put("topic", EventTypes.of(envelope.data().getClass()).topic());
            row.put("key", envelope.subject());
            row.put("occurred_at", envelope.time());
            row.put("payload", new String(codec.toStructuredJson(envelope), StandardCharsets.UTF_8));
            rows.add(Map.of("event_id", envelope.id(), "row", row));
        }
        surreal.query("""
                BEGIN TRANSACTION;
                FOR $event IN $outbox_events {
                    CREATE type::record('outbox', $event.event_id) CONTENT $event.row;
                };
                COMMIT TRANSACTION;
                """, Map.of("outbox_events", rows)).requireSuccess();
        return envelopes;
    }
}
