package io.polystore.catalog.internal;

import io.polystore.catalog.CatalogProperties;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import io.polystore.events.PolystoreEvent;
import io.polystore.servicedefaults.observability.EventTracing;
import io.polystore.surrealdb.SurrealQl;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes events into the catalog's outbox, inside the caller's SurrealDB transaction, so that an event exists
 * exactly when the change it reports was committed. The outbox table has a change feed and lives in a database
 * of its own ({@code polystore.catalog.outbox.database}); sync-service reads the feed and publishes to Kafka.
 * Nothing is published from here.
 * <p>
 * A row holds the event as CloudEvents structured JSON ({@code payload}) plus the routing fields sync-service needs
 * without parsing it: {@code topic}, {@code key} (the aggregate id), {@code type}, {@code occurred_at}. The row key
 * is the CloudEvents id. Each event carries the {@code traceparent} of the span it is written in (the Kafka listener's,
 * for the saga's replies), so that sync-service's relay continues the order's trace.
 */
@Component
public class SurrealOutboxWriter {

    private static final SurrealQl CREATE_ROWS = SurrealQl.of("""
            FOR $event IN $outbox_events {
                CREATE type::record('outbox', $event.event_id) CONTENT $event.row;
            };""");

    private final EventCodec codec;
    private final Clock clock;
    private final String source;
    private final String database;
    private final SurrealQl write;
    private final EventTracing tracing;

    public SurrealOutboxWriter(EventCodec codec, Clock clock, CatalogProperties properties, EventTracing tracing,
                        @Value("${spring.application.name}") String application) {
        this.codec = codec;
        this.tracing = tracing;
        this.clock = clock;
        this.source = "/" + application;
        this.database = properties.outbox().database();
        // The database name is configuration, checked to be a plain identifier at start-up.
        this.write = SurrealQl.of("USE DB `" + database + "`;").then(CREATE_ROWS);
    }

    /**
     * The statements that write {@code events}, with the rows bound, to put last in a transaction: they switch the
     * session to the outbox database.
     */
    public SurrealQl statements(List<? extends PolystoreEvent> events) {
        List<Map<String, Object>> rows = new ArrayList<>(events.size());
        String traceparent = tracing.currentTraceparent();
        for (PolystoreEvent event : events) {
            rows.add(row(EventEnvelope.of(event, source, clock).withTraceparent(traceparent)));
        }
        return write.with("outbox_events", rows);
    }

    public String database() {
        return database;
    }

    private Map<String, Object> row(EventEnvelope envelope) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("type", envelope.type());
        row.put("schema_version", envelope.schemaversion());
        row.put("topic", EventTypes.of(envelope.data().getClass()).topic());
        row.put("key", envelope.subject());
        row.put("occurred_at", envelope.time());
        row.put("payload", new String(codec.toStructuredJson(envelope), StandardCharsets.UTF_8));
        return Map.of("event_id", envelope.id(), "row", row);
    }
}
