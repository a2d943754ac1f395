package io.polystore.testkit.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /** What {@code ./polystore} uses and the README documents. */
    public static PlatformPorts defaults() {
        return new PlatformPorts(8080, 8081, 8082, 8083, 8084, 15432, 19092, 18000);
    }

    /** Ports free right now, for tests that must not collide with a running platform. */
    public static PlatformPorts free() {
        return free(Topology.single());
    }

    /** Ports free right now, with room for what the topology adds to them. */
    public static PlatformPorts free(Topology topology) {
        return new PlatformPorts(freeBase(topology.replicas(), INSTANCE_STEP), freeBase(topology.replicas(), INSTANCE_STEP),
                freeBase(topology.replicas(), INSTANCE_STEP), freeBase(topology.replicas(), INSTANCE_STEP),
                freeBase(topology.replicas(), INSTANCE_STEP), freeBase(topology.postgresStandby() ? 2 : 1, 1),
                freeBase(2 * topology.kafkaBrokers(), 1), freePort());
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

    /** A free port from which {@code count} ports, {@code step} apart, are free too. */
    private static int freeBase(int count, int step) {
        while (true) {
            int base = freePort();
            if (base + step * (count - 1) <= 65_535
                    && IntStream.range(1, count).allMatch(offset -> isFree(base + step * offset))) {
                return base;
            }
        }
    }

    /** A port free right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }
}
