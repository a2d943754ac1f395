package io.polystore.sync.federation.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * What the federation costs a JVM of its own: started by {@code FederationBenchmark} with sync-service's local
 * heap ({@code -Xmx256m}), it measures the heap, metaspace and classes once the stores' clients are loaded and
 * used (as sync-service has them anyway) but no engine exists, and after its first
 * and twentieth report, and the first report's time (class loading, planning, code generation). Prints one line.
 * Arguments: PostgreSQL URL, role, password, SurrealDB URL, namespace, database, user, password, report SQL.
 */
public final class FederationFootprint {

    private FederationFootprint() {
    }

    public static void main(String[] args) throws Exception {
        try (HikariDataSource orders = new HikariDataSource();
             SurrealClient catalog = new SurrealClient(new HttpRpcTransport(HttpRpcSettings.of(URI.create(args[3]), args[4],
                     args[5], args[6], args[7]).withUserOn(args[4], args[5]), new SimpleMeterRegistry()))) {
            orders.setJdbcUrl(args[0]);
            orders.setUsername(args[1]);
            orders.setPassword(args[2]);
            orders.setMaximumPoolSize(2);
            // What sync-service has loaded anyway: the driver, the pool, the SurrealDB client.
            try (var connection = orders.getConnection(); var statement = connection.createStatement()) {
                statement.executeQuery("SELECT 1").close();
            }
            catalog.query("RETURN 1");
            String before = usage();
            long started = System.nanoTime();
            FederationEngine engine = new FederationEngine(orders, new CatalogStore(catalog, Duration.ofSeconds(30)));
            List<?> parameters = List.of("2020-01-01 00:00:00", "2021-01-01 00:00:00", 21, 0);
            engine.queryPrepared(args[8], parameters, 21, Duration.ofSeconds(30));
            double firstMillis = (System.nanoTime() - started) / 1e6;
            String afterFirst = usage();
            double[] next = new double[19];
            for (int i = 0; i < next.length; i++) {
                long run = System.nanoTime();
                engine.queryPrepared(args[8], parameters, 21, Duration.ofSeconds(30));
                next[i] = (System.nanoTime() - run) / 1e6;
            }
            Arrays.sort(next);
            System.out.printf("FOOTPRINT first report %.0f ms (engine built, planned, compiled), then p50 %.1f ms; "
                    + "before: %s; after the first: %s; after twenty: %s%n", firstMillis, next[next.length / 2], before,
                    afterFirst, usage());
            engine.close();
        }
    }

    /** Heap and metaspace in use after a full collection, and the classes loaded. */
    private static String usage() {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long metaspace = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getName().equals("Metaspace")).mapToLong(pool -> pool.getUsage().getUsed()).sum();
        return "heap %.1f MiB, metaspace %.1f MiB, %d classes".formatted(heap / 1048576.0, metaspace / 1048576.0,
                ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
    }
}
