package io.polystore.catalog;

import io.polystore.catalog.product.CreateProductRequest;
import io.polystore.catalog.product.PriceRequest;
import io.polystore.catalog.product.ProductCatalog;
import io.polystore.catalog.reservation.StockReservations;
import io.polystore.catalog.support.CatalogHttp;
import io.polystore.events.EventEnvelope;
import io.polystore.events.OrderLine;
import io.polystore.events.ReserveStock;
import io.polystore.events.StockReserved;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UseTestTokens;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import io.polystore.surrealdb.SurrealStatementException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Product reads and stock reservations through the service against the same SurrealQL sent straight through the
 * client, in one run. Not part of {@code verify}; run it with the command in the README.
 * <p>
 * Reads: {@code GET /products/{id}} over HTTP with a bearer token (security, JSON, the product and its related
 * products) against the same two statements through {@link SurrealClient}. Reservations: the saga participant
 * ({@link StockReservations#reserve}, as the Kafka listener calls it: inbox, optimistic read, one transaction with
 * the outbox) against one transaction through the client that makes the same writes without the read. Each pair
 * alternates its rounds of throughput, so that the machine's load, which varies, weighs on both alike.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UseKafka
@UseTestTokens
class CatalogBenchmark {

    /**
     * The engine program's RPC server, started here without its stderr filter: under sustained change-feed writes
     * the filtering parent ({@code server.mjs}, which {@code @UseSurrealDb} runs) falls behind the engine's debug
     * dumps and the engine dies (see the README). Its stderr is discarded instead.
     */
    private static Process engine;

    private static final int PRODUCTS = 200;
    private static final int SEQUENTIAL = 1_000;
    private static final Duration CONCURRENT_FOR = Duration.ofSeconds(5);
    private static final int THREADS = 8;
    private static final int ROUNDS = 3;

    private static final String DIRECT_READ = """
            LET $product = type::record('product', $key);
            SELECT * FROM ONLY $product;
            SELECT id, sku, name, price FROM array::distinct(array::concat($product->related_to->product,
                $product<-related_to<-product)) WHERE active = true;
            """;

    private static final String DIRECT_RESERVE = """
            BEGIN TRANSACTION;
            CREATE type::record('inbox', $event_id) SET type = 'benchmark', processed_at = time::now();
            UPDATE type::record('inventory', $product_id) SET available -= 1, reserved += 1, updated_at = time::now();
            CREATE type::record('reservation', $order_id) CONTENT {
                order_id: $order_id, status: 'RESERVED', lines: [{ product_id: $product_id, quantity: 1 }],
                expires_at: time::now() + 15m, created_at: time::now(), updated_at: time::now()
            };
            USE DB `%s`;
            CREATE type::record('outbox', $event_id) CONTENT {
                type: 'benchmark', schema_version: 1, topic: 'catalog.events', key: $order_id,
                occurred_at: time::now(), payload: $payload
            };
            COMMIT TRANSACTION;
            """;

    @Value("${local.server.port}")
    int port;
    @Autowired
    ProductCatalog products;
    @Autowired
    StockReservations reservations;
    @Autowired
    SurrealClient surreal;
    @Autowired
    CatalogProperties properties;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @DynamicPropertySource
    static void surrealDb(DynamicPropertyRegistry registry) throws Exception {
        Path program = SurrealDbServer.Options.temporary().engineDirectory();
        engine = new ProcessBuilder("node", "rpc-server.mjs", "--bind", "127.0.0.1:0")
                .directory(program.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader output = new BufferedReader(new InputStreamReader(engine.getInputStream(), StandardCharsets.UTF_8));
        String listening = output.readLine();
        assertThat(listening).as("the engine's first line").startsWith("polystore-surrealdb listening on ");
        String url = listening.substring(listening.lastIndexOf(' ') + 1);
        registry.add("polystore.surrealdb.url", () -> url);
        registry.add("polystore.surrealdb.username", () -> "root");
        registry.add("polystore.surrealdb.password", () -> "root");
        registry.add("polystore.surrealdb.namespace", () -> "polystore");
        registry.add("polystore.surrealdb.database", () -> "catalog");
    }

    @AfterAll
    static void stopEngine() {
        engine.destroy();
    }

    @Test
    void restAgainstDirectClient() throws Exception {
        String token = new CatalogHttp(port).managerToken();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < PRODUCTS; i++) {
            ids.add(products.create(new CreateProductRequest("BENCH-" + UUID.randomUUID(), "Bench " + i, "A product",
                    new PriceRequest(new BigDecimal("19.90"), "EUR"), Map.of("colour", "red"), null, true, 1_000_000)).id());
        }
        for (int i = 1; i < PRODUCTS; i++) {
            products.relate(ids.get(i - 1), ids.get(i));
        }
        String directReserve = DIRECT_RESERVE.formatted(properties.outbox().database());

        Operation restRead = () -> {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/products/" + random(ids)))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        };
        Operation directRead = () -> assertThat(surreal.query(DIRECT_READ, Map.of("key", random(ids))).rows(1)).hasSize(1);
        Operation serviceReserve = () -> {
            ReserveStock command = new ReserveStock(UUID.randomUUID(), List.of(new OrderLine(random(ids), 1)),
                    Instant.now().plusSeconds(60));
            assertThat(reservations.reserve(EventEnvelope.of(command, "/benchmark", Clock.systemUTC()), command))
                    .isEqualTo(StockReservations.Outcome.RESERVED);
        };
        Operation directReservation = () -> {
            UUID order = UUID.randomUUID();
            String productId = random(ids);
            Map<String, Object> vars = new HashMap<>();
            vars.put("event_id", UUID.randomUUID().toString());
            vars.put("order_id", order.toString());
            vars.put("product_id", productId);
            vars.put("payload", new StockReserved(order, order.toString(), List.of(new OrderLine(productId, 1)),
                    Instant.now()).toString());
            // Like the service, try again after a write conflict with a concurrent reservation of the same product.
            for (int attempt = 1; ; attempt++) {
                try {
                    surreal.query(directReserve, vars).requireSuccess();
                    return;
                } catch (SurrealStatementException e) {
                    if (!e.isRetryable() || attempt == 30) {
                        throw e;
                    }
                }
            }
        };

        List<String> report = new ArrayList<>();
        report.add("%-34s %12s %12s %14s".formatted("operation", "median ms", "p99 ms", THREADS + " threads/s"));
        Comparison reads = compare("product by id, REST", restRead, "product by id, direct client", directRead, report);
        Comparison reserves = compare("reservation, saga participant", serviceReserve,
                "reservation, direct client", directReservation, report);
        report.add("ratio direct/REST, reads:               median %.2fx faster, throughput %.2fx".formatted(
                reads.medianRatio(), reads.throughputRatio()));
        report.add("ratio direct/service, reservations:     median %.2fx faster, throughput %.2fx".formatted(
                reserves.medianRatio(), reserves.throughputRatio()));
        System.out.println("\n=== CatalogBenchmark (" + Runtime.getRuntime().availableProcessors() + " cores, throughput the median of "
                + ROUNDS + " alternating rounds) ===");
        report.forEach(System.out::println);
    }

    /**
     * Both operations' latency one call at a time, then their throughput from {@link #THREADS} threads in alternating
     * rounds, each the median of its rounds, so that a change in the machine's load between them weighs on both.
     */
    private static Comparison compare(String serviceName, Operation service, String directName, Operation direct,
                                      List<String> report) throws Exception {
        Latency serviceLatency = latency(service);
        Latency directLatency = latency(direct);
        double[] serviceThroughput = new double[ROUNDS];
        double[] directThroughput = new double[ROUNDS];
        for (int round = 0; round < ROUNDS; round++) {
            serviceThroughput[round] = throughput(service);
            directThroughput[round] = throughput(direct);
        }
        return new Comparison(result(serviceName, serviceLatency, serviceThroughput, report),
                result(directName, directLatency, directThroughput, report));
    }

    /** Median and p99 of {@link #SEQUENTIAL} calls one at a time, after 200 to warm up. */
    private static Latency latency(Operation operation) throws Exception {
        for (int i = 0; i < 200; i++) {
            operation.run();
        }
        long[] nanos = new long[SEQUENTIAL];
        for (int i = 0; i < SEQUENTIAL; i++) {
            long started = System.nanoTime();
            operation.run();
            nanos[i] = System.nanoTime() - started;
        }
        Arrays.sort(nanos);
        return new Latency(nanos[SEQUENTIAL / 2] / 1e6, nanos[SEQUENTIAL * 99 / 100] / 1e6);
    }

    /** The operation's report line, with the median of its rounds' throughput. */
    private static Result result(String name, Latency latency, double[] rounds, List<String> report) {
        Arrays.sort(rounds);
        Result result = new Result(latency, rounds[ROUNDS / 2]);
        report.add("%-34s %12.2f %12.2f %14.0f".formatted(name, latency.median(), latency.p99(), result.throughput()));
        return result;
    }

    /** Operations per second from {@link #THREADS} threads calling it for {@link #CONCURRENT_FOR}. */
    private static double throughput(Operation operation) throws Exception {
        AtomicLong done = new AtomicLong();
        long until = System.nanoTime() + CONCURRENT_FOR.toNanos();
        try (ExecutorService threads = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(threads.submit(() -> {
                    while (System.nanoTime() < until) {
                        operation.run();
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        }
        return done.get() / (CONCURRENT_FOR.toNanos() / 1e9);
    }

    private static String random(List<String> ids) {
        return ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
    }

    private record Latency(double median, double p99) {
    }

    private record Result(Latency latency, double throughput) {
    }

    /** The service's path against the direct client's. */
    private record Comparison(Result service, Result direct) {

        double medianRatio() {
            return service.latency().median() / direct.latency().median();
        }

        double throughputRatio() {
            return direct.throughput() / service.throughput();
        }
    }

    @FunctionalInterface
    private interface Operation {
        void run() throws Exception;
    }
}
