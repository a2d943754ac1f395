package io.polystore.testkit.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports the platform listens on, all on this machine. Kafka's controller takes the port after the broker's.
 */
public record PlatformPorts(int gateway, int orders, int catalog, int sync, int audit,
                           int postgres, int kafka, int surrealDb) {

    /** What {@code ./polystore} uses and the README documents. */
    public static PlatformPorts defaults() {
        return new PlatformPorts(8080, 8081, 8082, 8083, 8084, 15432, 19092, 18000);
    }

    /** Ports free right now, for tests that must not collide with a running platform. */
    public static PlatformPorts free() {
        int kafka;
        do {
            kafka = freePort();
        } while (!isFree(kafka + 1));
        return new PlatformPorts(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), kafka, freePort());
    }

    /** Every port by what needs it, in start order. */
    public Map<String, Integer> byUser() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("PostgreSQL", postgres);
        ports.put("Kafka", kafka);
        ports.put("Kafka's controller", kafka + 1);
        ports.put("SurrealDB", surrealDb);
        ports.put("gateway", gateway);
        ports.put("order-service", orders);
        ports.put("catalog-service", catalog);
        ports.put("sync-service", sync);
        ports.put("audit-service", audit);
        return ports;
    }

    /** Fails with a message naming the first port some other process holds. */
    public void requireFree() {
        byUser().forEach((user, port) -> {
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

    /** A port free right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port", e);
        }
    }
}
