package io.polystore.testkit.platform;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/**
 * The ports the platform listens on, all on this machine: those of each service's first instance and of the stores.
 * The rest follow from them (see {@link Topology}): a service's further instances listen 10, 20, ... above its first;
 * Kafka's controller takes the port after the broker's, and further brokers the pairs after those; a PostgreSQL
 * standby the port after the primary's.
 */
public record PlatformPorts(int gateway, int orders, int catalog, int sync, int audit,
                           int postgres, int kafka, int surrealDb) {

    private static final int INSTANCE_STEP = 10;
    /**
     * The ports {@link #free} gives a platform, in a row: each service's first instance (gateway first) and its further
     * instances 10 apart (5 instances at most: up to 44), PostgreSQL and its standby at 50 and 51, the Kafka brokers'
     * pairs from 52 (3 brokers at most: up to 57), SurrealDB at 58.
     */
    private static final int BLOCK = 60;
    /** The lowest port {@link #free} gives: clear of the defaults (8080 to 8084, 15432, 18000, 19092, Prometheus's 9090) and the regions above them. */
    private static final int LOWEST = 20_000;
    /** Every port of every block this JVM handed out, bound by now or not. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /** What {@code ./polystore} uses and the README documents. */
    public static PlatformPorts defaults() {
        return new PlatformPorts(8080, 8081, 8082, 8083, 8084, 15432, 19092, 18000);
    }

    /**
     * Ports free right now, for tests that must not collide with a running platform: see {@link #free(Topology)}.
     */
    public static PlatformPorts free() {
        return free(Topology.single());
    }

    /**
     * Ports free right now, with room for what the topology adds to them: a block of {@link #BLOCK} ports, none of
     * which this JVM handed out before (a region killed for a drill frees its ports, which must not go to a region
     * added meanwhile), all that the topology needs free, and below the system's ephemeral range: a port found free
     * there may be taken by any outgoing connection (of the running platforms' clients, say) before the service that
     * was given it binds it, seconds later.
     *
     * @throws IllegalStateException when no such block is found
     */
    public static PlatformPorts free(Topology topology) {
        synchronized (HANDED_OUT) {
            PortRange range = PortRange.outsideEphemeral(BLOCK);
            for (int attempt = 0; attempt < 1_000; attempt++) {
                int base = range.randomBase(BLOCK);
                PlatformPorts ports = new PlatformPorts(base, base + 1, base + 2, base + 3, base + 4, base + 50,
                        base + 52, base + 58);
                if (IntStream.range(base, base + BLOCK).noneMatch(HANDED_OUT::contains)
                        && ports.byUser(topology).values().stream().allMatch(PlatformPorts::isFree)) {
                    IntStream.range(base, base + BLOCK).forEach(HANDED_OUT::add);
                    return ports;
                }
            }
            throw new IllegalStateException("No " + BLOCK + " free ports in a row between " + range.low() + " and "
                    + range.high() + " that this JVM has not handed out before");
        }
    }

    /**
     * Every port moved by {@code offset}: another platform side by side, as each further region runs (see
     * {@code LocalRegions}). An offset of 100 or more keeps clear of what any topology adds to these ports.
     */
    public PlatformPorts shiftedBy(int offset) {
        return new PlatformPorts(gateway + offset, orders + offset, catalog + offset, sync + offset, audit + offset,
                postgres + offset, kafka + offset, surrealDb + offset);
    }

    /** The port of a service's instance: 0 is the first. */
    public int port(PlatformService service, int instance) {
        return service.port(this) + INSTANCE_STEP * instance;
    }

    /** The client port of a Kafka broker: 0 is the first; its controller listens on the next port. */
    public int kafkaBroker(int broker) {
        return kafka + 2 * broker;
    }

    /** The PostgreSQL standby's port. */
    public int postgresStandby() {
        return postgres + 1;
    }

    /** Every port by what needs it, in start order. */
    public Map<String, Integer> byUser() {
        return byUser(Topology.single());
    }

    /** Every port the topology needs, by what needs it, in start order. */
    public Map<String, Integer> byUser(Topology topology) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("PostgreSQL", postgres);
        if (topology.postgresStandby()) {
            ports.put("PostgreSQL's standby", postgresStandby());
        }
        for (int broker = 0; broker < topology.kafkaBrokers(); broker++) {
            String name = topology.kafkaBrokers() == 1 ? "Kafka" : "Kafka broker " + (broker + 1);
            ports.put(name, kafkaBroker(broker));
            ports.put(name + "'s controller", kafkaBroker(broker) + 1);
        }
        ports.put("SurrealDB", surrealDb);
        for (PlatformService service : PlatformService.values()) {
            for (int instance = 0; instance < topology.replicas(); instance++) {
                ports.put(service.moduleName() + (instance == 0 ? "" : " instance " + (instance + 1)), port(service, instance));
            }
        }
        return ports;
    }

    /** Fails with a message naming the first port some other process holds. */
    public void requireFree() {
        requireFree(Topology.single());
    }

    /** Fails with a message naming the first port of the topology that some other process holds. */
    public void requireFree(Topology topology) {
        byUser(topology).forEach((user, port) -> {
            if (!isFree(port)) {
                throw new IllegalStateException("Port " + port + ", needed by " + user
                        + ", is in use by another process. Stop it, or run Polystore on other ports.");
            }
        });
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /**
     * A port free right now, one this JVM has not handed out before, below the system's ephemeral range (see
     * {@link #free(Topology)}).
     */
    public static int freePort() {
        synchronized (HANDED_OUT) {
            PortRange range = PortRange.outsideEphemeral(1);
            for (int attempt = 0; attempt < 1_000; attempt++) {
                int port = range.randomBase(1);
                if (!HANDED_OUT.contains(port) && isFree(port)) {
                    HANDED_OUT.add(port);
                    return port;
                }
            }
            throw new IllegalStateException("No free port between " + range.low() + " and " + range.high());
        }
    }

    /**
     * Where free ports are looked for: from {@link #LOWEST} to just below the ephemeral range that the system takes
     * outgoing connections' ports from ({@code /proc/sys/net/ipv4/ip_local_port_range} on Linux, IANA's 49152 to
     * 65535 elsewhere), or above it when there is no room below.
     */
    record PortRange(int low, int high) {

        private static final Path EPHEMERAL = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

        static PortRange outsideEphemeral(int block) {
            int[] ephemeral = ephemeral();
            return outside(ephemeral[0], ephemeral[1], block);
        }

        /** @param ephemeralLow, ephemeralHigh the system's ephemeral range, both included */
        static PortRange outside(int ephemeralLow, int ephemeralHigh, int block) {
            if (ephemeralLow - LOWEST >= block) {
                return new PortRange(LOWEST, ephemeralLow - 1);
            }
            if (65_535 - ephemeralHigh >= block) {
                return new PortRange(Math.max(LOWEST, ephemeralHigh + 1), 65_535);
            }
            // No room outside it: a block found free may still be taken by an outgoing connection before it is bound.
            return new PortRange(LOWEST, 65_535);
        }

        /** A first port from which {@code block} ports fit in the range. */
        int randomBase(int block) {
            return ThreadLocalRandom.current().nextInt(low, high - block + 2);
        }

        /** The system's ephemeral range, both bounds included. */
        static int[] ephemeral() {
            try {
                // Read by lines: Files.readString trusts the size /proc reports and returns only its first byte.
                String[] bounds = String.join(" ", Files.readAllLines(EPHEMERAL)).trim().split("\\s+");
                return new int[] {Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1])};
            } catch (IOException | RuntimeException notLinux) {
                return new int[] {49_152, 65_535};
            }
        }
    }
}
