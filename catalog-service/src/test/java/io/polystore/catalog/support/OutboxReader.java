package io.polystore.catalog.support;

import io.polystore.catalog.CatalogProperties;
import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.surrealdb.SurrealClient;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Reads the catalog's outbox as sync-service will: the events, in the order they were committed. */
public final class OutboxReader {

    private final SurrealClient surreal;
    private final String database;
    private final EventCodec codec = new EventCodec();

    public OutboxReader(SurrealClient surreal, CatalogProperties properties) {
        this.surreal = surreal;
        this.database = properties.outbox().database();
    }

    /** Every event in the outbox about {@code key} (an order or product id), oldest first. */
    public List<EventEnvelope> eventsFor(String key) {
        return surreal.query("USE DB `" + database + "`; SELECT payload, occurred_at FROM outbox WHERE key = $key "
                        + "ORDER BY occurred_at", Map.of("key", key))
                .rows(1).stream()
                .map(row -> codec.fromStructuredJson(((String) row.get("payload")).getBytes(StandardCharsets.UTF_8)))
                .toList();
    }

    /** The topic of every outbox row about {@code key}, as sync-service's relay routes it. */
    public List<String> topicsFor(String key) {
        return surreal.query("USE DB `" + database + "`; SELECT topic FROM outbox WHERE key = $key",
                Map.of("key", key)).rows(1).stream().map(row -> (String) row.get("topic")).toList();
    }

    /** The change feed of the outbox database since {@code versionstamp}, as sync-service reads it. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> changesSince(long versionstamp, int limit) {
        Object result = surreal.query("USE DB `" + database + "`; SHOW CHANGES FOR TABLE outbox SINCE " + versionstamp
                + " LIMIT " + limit).result(1);
        return (List<Map<String, Object>>) result;
    }
}
