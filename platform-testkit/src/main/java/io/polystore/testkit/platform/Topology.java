package io.polystore.testkit.platform;

/**
 * How many of each part the local platform runs.
 *
 * @param replicas        instances of every service, side by side (the gateway balances across them)
 * @param postgresStandby whether PostgreSQL runs as a primary plus a hot standby that takes over when the primary
 *                        fails ({@code ReplicatedPostgres}), or as one server
 * @param kafkaBrokers    Kafka brokers (KRaft, each also a controller): 1, or 3 with topics replicated three times and
 *                        {@code min.insync.replicas=2}
 */
public record Topology(int replicas, boolean postgresStandby, int kafkaBrokers) {

    /** The most instances of a service the ports leave room for (see {@link PlatformPorts#port}). */
    public static final int MAX_REPLICAS = 5;

    public Topology {
        if (replicas < 1 || replicas > MAX_REPLICAS) {
            throw new IllegalArgumentException("replicas must be 1 to " + MAX_REPLICAS + ", not " + replicas);
        }
        if (kafkaBrokers != 1 && kafkaBrokers != 3) {
            throw new IllegalArgumentException("kafkaBrokers must be 1 or 3, not " + kafkaBrokers);
        }
    }

    /** One of everything: what {@code ./polystore} runs by default. */
    public static Topology single() {
        return new Topology(1, false, 1);
    }

    /**
     * No single point of failure among the services and their stores but the SurrealDB engine (which has no
     * replication embedded): {@code replicas} instances per service (at least 2), PostgreSQL primary plus standby,
     * three Kafka brokers.
     */
    public static Topology highlyAvailable(int replicas) {
        return new Topology(Math.max(2, replicas), true, 3);
    }

    /** The replication factor of the platform's topics, and the {@code min.insync.replicas} that goes with it. */
    public int topicReplicas() {
        return kafkaBrokers;
    }

    public int minInSyncReplicas() {
        return kafkaBrokers >= 3 ? 2 : 1;
    }
}
