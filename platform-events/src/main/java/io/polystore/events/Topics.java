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
    /** The global catalog's records as they change, from the region that writes it to the others. */
    public static final String CATALOG_REPLICATION = "catalog.replication";
    /** Stock sent by this region to another ({@link StockTransferred}) and asked of another ({@link StockRequested}); each peer reads it as MirrorMaker mirrors it. */
    public static final String CATALOG_TRANSFERS = "catalog.transfers";
    /**
     * Every order's latest masked record ({@link OrderHistoryRecorded}), compacted, keyed by order id; each peer reads
     * it as MirrorMaker mirrors it, into its read-only replica of other regions' order history.
     */
    public static final String ORDER_HISTORY = "orders.history";
    /**
     * Every region's latest {@link RegionAnnounced}, compacted, keyed by region; mirrored into every other region, so
     * that a region added at run time is seen by the others.
     */
    public static final String REGIONS = "regions";

    private Topics() {
    }

    /**
     * The name of a topic from another region as MirrorMaker 2 mirrors it into this one: the source region's name,
     * a dot and the topic (its default replication policy), so a record's origin stays in its topic's name.
     */
    public static String mirrored(String sourceRegion, String topic) {
        return Require.notBlank(sourceRegion, "sourceRegion") + "." + Require.notBlank(topic, "topic");
    }

    /**
     * A regular expression matching {@code topic} as mirrored from any region, {@code <region>.<topic>} (a region's
     * name has no dot, so a topic mirrored twice does not match), for consumers that take every region's, including
     * regions added while they run.
     */
    public static String mirroredFromAnyRegion(String topic) {
        return "[a-z][a-z0-9-]{0,31}\\." + Require.notBlank(topic, "topic").replace(".", "\\.");
    }

    /** The dead-letter topic of a consumer group: one per group, so each group replays only its own failures. */
    public static String deadLetter(String consumerGroup) {
        return Require.notBlank(consumerGroup, "consumerGroup") + ".dlt";
    }
}
