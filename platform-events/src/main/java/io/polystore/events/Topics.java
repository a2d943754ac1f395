package io.polystore.events;

/**
 * Kafka topic names. Every record is keyed by its event's {@link PolystoreEvent#aggregateId()},
 * so that one aggregate's events stay in order on one partition.
 */
public final class Topics {

    public static final String ORDERS_EVENTS = "orders.events";
    public static final String CATALOG_EVENTS = "catalog.events";
    public static final String CATALOG_COMMANDS = "catalog.commands";
    public static final String AUDIT_EVENTS = "audit.events";

    private Topics() {
    }

    /** The dead-letter topic of a consumer group: one per group, so each group replays only its own failures. */
    public static String deadLetter(String consumerGroup) {
        return Require.notBlank(consumerGroup, "consumerGroup") + ".dlt";
    }
}
