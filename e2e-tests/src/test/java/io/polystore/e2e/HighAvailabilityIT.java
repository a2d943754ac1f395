package io.polystore.e2e;

import io.polystore.e2e.load.LoadCustomers;
import io.polystore.testkit.kafka.KafkaBrokerProcess;
import io.polystore.testkit.kafka.KafkaCluster;
import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.platform.ServiceProcess;
import io.polystore.testkit.platform.Topology;
import io.polystore.testkit.postgres.PostgresFailover;
import io.polystore.testkit.postgres.ReplicatedPostgres;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 17 on the high-availability topology ({@code ./polystore --ha}: two instances of every service, PostgreSQL
 * primary and hot standby with automatic fail-over, three Kafka brokers): bursts of orders from several customers, each
 * burst with one fault in its middle, one fault at a time: an instance of each service killed with SIGKILL (started
 * again afterwards, as a supervisor would), one Kafka broker killed with SIGKILL (restarted afterwards), the SurrealDB
 * engine killed with SIGKILL (the launcher starts it again), and last the PostgreSQL primary killed with SIGKILL and
 * the standby promoted by the platform's fail-over watch (once the standby holds a usable copy of sync-service's
 * fail-over slot: a fail-over before that would leave the CDC relay without its position). The clients reach the two
 * gateway instances as clients behind a load balancer do ({@link LocalPlatform#balancedGateway()}).
 *
 * <p>After each burst every order is terminal, CONFIRMED (each had stock), none was placed twice and stock is
 * conserved; at the end every order's events reached Kafka, the audit trail verifies and reconciliation finds no
 * drift. It prints per fault what it cost: requests failed at the gateway, the longest time no order could be placed,
 * and how long the sagas took (placed to confirmed, median and slowest).
 *
 * <p>Its own JVM (failsafe execution {@code high-availability}), as it needs a platform of another shape than the
 * rest of the suite.
 */
class HighAvailabilityIT {

    /** platform-events' Topics.ORDERS_EVENTS (the suite keeps to the platform's HTTP API and its wire formats). */
    private static final String ORDERS_EVENTS = "orders.events";
    /** One client per customer, each ordering with its own token. */
    private static final int CUSTOMERS = 4;
    private static final int INITIAL_STOCK = 1_000;
    /** Per customer, between their orders: some 8 orders a second in all on two busy cores, 500 in the eight bursts. */
    private static final Duration PACE = Duration.ofMillis(300);
    /** Each burst orders this long before its fault, and this long after it. */
    private static final Duration BEFORE_FAULT = Duration.ofSeconds(2);
    private static final Duration AFTER_FAULT = Duration.ofSeconds(8);
    private static final Duration RESTART_TIMEOUT = Duration.ofMinutes(3);
    /**
     * Kafka's default session timeout, which held a killed instance's partitions, and the sagas behind them, that
     * long; the platform's consumers now give up on a silent member after 10 s.
     */
    private static final Duration KAFKA_DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(45);

    private static LocalPlatform platform;
    private static Shop shop;
    private static List<String> customers;

    @BeforeAll
    static void start() {
        Path repository = Path.of(System.getProperty("polystore.repository", ".."));
        Topology topology = Topology.highlyAvailable(2);
        Path data = Path.of("target/e2e-ha-platform");
        RunningPlatform.deleteRecursively(data);
        long begin = System.nanoTime();
        platform = LocalPlatform.start(new LocalPlatform.Options(repository, data,
                PlatformPorts.free(topology), line -> System.out.println("[ha platform] " + line), Map.of(), topology));
        System.out.printf("[ha platform] ready in %.1f s, %d MiB resident%n", (System.nanoTime() - begin) / 1e9,
                platform.residentMemoryBytes() / (1024 * 1024));
        shop = new Shop(platform, platform.balancedGateway());
        customers = LoadCustomers.tokens(data.resolve("gateway-signing-key.json"), platform.gatewayUrl(), CUSTOMERS,
                Duration.ofHours(2));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    /**
     * One fault: {@code before} runs ahead of its burst, {@code inject} in the burst's middle, {@code recover} once
     * the burst is over (in the background, while the next burst runs).
     */
    private record Fault(String name, Runnable before, Runnable inject, Runnable recover) {
    }

    /** What one burst with its fault cost. */
    private record Figures(String fault, int orders, Map<Integer, Long> failures, Map<Integer, String> answers,
                           Duration longestGap, Duration medianSaga, Duration slowestSaga) {
    }

    @Test
    void burstsOfOrdersRideOutEachFaultInTurnWithNothingLost() throws Exception {
        List<String> products = List.of(shop.createProduct("HA kettle", INITIAL_STOCK), shop.createProduct("HA teapot", INITIAL_STOCK));
        // Alice's order makes sure order-service knows both prices before the bursts.
        Map<String, Integer> warmUpLines = Map.of(products.get(0), 1, products.get(1), 1);
        String warmUp = shop.placeOrder(warmUpLines);
        Map<String, Map<String, Integer>> orders = new HashMap<>(Map.of(warmUp, warmUpLines));
        Map<String, String> statuses = new HashMap<>(shop.awaitTerminal(List.of(warmUp)));
        Map<String, Set<String>> ordersByCustomer = new HashMap<>();
        PostgresFailover failover = platform.infrastructure().postgresFailover().orElseThrow();

        List<Figures> figures = new ArrayList<>();
        List<CompletableFuture<Void>> recoveries = new ArrayList<>();
        for (Fault fault : faults(failover)) {
            fault.before().run();
            Burst burst = Burst.start(products);
            Thread.sleep(BEFORE_FAULT);
            fault.inject().run();
            System.out.println("[ha] " + fault.name() + " at " + Instant.now());
            Thread.sleep(AFTER_FAULT);
            Map<String, Map<String, Integer>> placed = burst.stop();
            burst.customerOf.forEach((order, customer) -> ordersByCustomer.computeIfAbsent(customer, c -> new HashSet<>()).add(order));
            recoveries.add(CompletableFuture.runAsync(fault.recover(),
                    task -> Thread.ofPlatform().name("recover from " + fault.name()).start(task)));
            orders.putAll(placed);

            Map<String, JsonNode> summaries = new HashMap<>();
            ordersByCustomer.forEach((customer, theirs) -> {
                statuses.putAll(shop.awaitTerminal(customer, theirs));
                Map<String, JsonNode> listed = shop.summaries(customer);
                assertThat(listed.keySet()).as("a customer's orders: one per idempotency key, none placed twice")
                        .containsExactlyInAnyOrderElementsOf(theirs);
                summaries.putAll(listed);
            });
            assertThat(statuses).as("orders that had stock, after: %s", fault.name())
                    .allSatisfy((id, status) -> assertThat(status).isEqualTo("CONFIRMED"));
            shop.assertStockConserved(products, INITIAL_STOCK, orders, statuses);
            figures.add(burst.figures(fault.name(), summaries));
        }
        CompletableFuture.allOf(recoveries.toArray(CompletableFuture[]::new)).join();

        System.out.printf("[ha] %d orders from %d customers, %d bursts (load average %.1f):%n", orders.size(), CUSTOMERS,
                figures.size(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        figures.forEach(burst -> System.out.printf("[ha] %-70s %3d orders, %s failed at the gateway, longest without a"
                        + " placed order %5d ms, saga median %5d ms, slowest %6d ms%n", burst.fault(), burst.orders(),
                burst.failures(), burst.longestGap().toMillis(), burst.medianSaga().toMillis(), burst.slowestSaga().toMillis()));
        System.out.printf("[ha] PostgreSQL without a primary %d ms (fail-over watch)%n",
                failover.failOvers().getFirst().withoutPrimary().toMillis());
        assertThat(figures).filteredOn(burst -> burst.fault().contains(" instance ")).as("bursts with an instance killed")
                .allSatisfy(burst -> {
                    assertThat(burst.failures()).as("requests failed at the gateway: %s", burst.answers()).isEmpty();
                    assertThat(burst.slowestSaga()).as("slowest saga").isLessThan(KAFKA_DEFAULT_SESSION_TIMEOUT);
                });
        assertThat(figures.getLast().failures()).as("requests failed while PostgreSQL failed over: 503, with Retry-After;"
                        + " the first answer of each status: %s", figures.getLast().answers())
                .allSatisfy((status, count) -> assertThat(status).isEqualTo(503));
        assertEveryOrderHasItsEventsOnKafka(orders.keySet());
        assertTheAuditTrailVerifies();
        assertReconciliationFindsNoDrift(orders.size());
    }

    private static List<Fault> faults(PostgresFailover failover) {
        List<Fault> faults = new ArrayList<>();
        for (PlatformService service : List.of(PlatformService.ORDERS, PlatformService.CATALOG, PlatformService.SYNC,
                PlatformService.AUDIT, PlatformService.GATEWAY)) {
            // The first instance: for the gateway, the one whose address the tokens name as their issuer.
            ServiceProcess instance = platform.instances(service).getFirst();
            faults.add(new Fault("one " + service.moduleName() + " instance of two killed (SIGKILL)", () -> { }, instance::kill,
                    () -> instance.start().awaitReady(RESTART_TIMEOUT)));
        }
        KafkaBrokerProcess broker = ((KafkaCluster) platform.infrastructure().kafka()).broker(0);
        faults.add(new Fault("one Kafka broker of three killed (SIGKILL)", () -> { }, broker::kill, broker::restart));
        SurrealDbServer[] engine = new SurrealDbServer[1];
        faults.add(new Fault("the SurrealDB engine killed (SIGKILL) and started again", () -> { }, () -> {
            engine[0] = platform.infrastructure().surrealDb();
            engine[0].kill();
        }, () -> await("the SurrealDB engine started again").atMost(RESTART_TIMEOUT).until(() ->
                platform.infrastructure().surrealDb() != engine[0] && platform.infrastructure().surrealDb().isAlive())));
        ReplicatedPostgres postgres = (ReplicatedPostgres) platform.infrastructure().postgres();
        faults.add(new Fault("the PostgreSQL primary killed (SIGKILL), the standby promoted", () -> {
            // What a fail-over manager must wait for before it may promote without breaking change-data capture: the
            // standby's copy of sync-service's slot is usable once the primary's has moved past where the copy began.
            Instant slotWait = Instant.now();
            await("the standby's copy of the CDC fail-over slot usable").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(postgres::standbyHoldsTheFailoverSlots);
            System.out.printf("[ha] the standby held a usable copy of the fail-over slot after %d ms more%n",
                    Duration.between(slotWait, Instant.now()).toMillis());
        }, postgres::killPrimary, () -> await("the standby promoted").atMost(Duration.ofMinutes(1))
                .until(() -> !failover.failOvers().isEmpty())));
        return faults;
    }

    /**
     * One client per customer, ordering (1 or 2 units of either product, each order its own idempotency key) until
     * stopped.
     */
    private static final class Burst {

        private final Map<String, Map<String, Integer>> orders = new ConcurrentHashMap<>();
        /** Each order's customer, by their token. */
        private final Map<String, String> customerOf = new ConcurrentHashMap<>();
        private final Queue<Integer> failures = new ConcurrentLinkedQueue<>();
        /** The first answer of each failed status, to tell where it came from. */
        private final Map<Integer, String> answers = new ConcurrentHashMap<>();
        private final List<Instant> placedAt = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean ordering = new AtomicBoolean(true);
        private final ExecutorService clients = Executors.newFixedThreadPool(CUSTOMERS);
        private final List<Future<?>> sent = new ArrayList<>();

        static Burst start(List<String> products) {
            Burst burst = new Burst();
            for (String customer : customers) {
                burst.sent.add(burst.clients.submit(() -> {
                    for (int i = 0; burst.ordering.get(); i++) {
                        Map<String, Integer> lines = Map.of(products.get(i % 2), 1 + i % 2);
                        String order = burst.placeRetrying(customer, UUID.randomUUID().toString(), lines);
                        burst.orders.put(order, lines);
                        burst.customerOf.put(order, customer);
                        Thread.sleep(PACE);
                    }
                    return null;
                }));
            }
            return burst;
        }

        /** Stops the clients once each has placed the order it is sending; returns every order placed. */
        Map<String, Map<String, Integer>> stop() throws Exception {
            ordering.set(false);
            try (clients) {
                for (Future<?> client : sent) {
                    client.get();
                }
            }
            return orders;
        }

        /**
         * Places the order, sending it again under its idempotency key after each failure, as a client would (a
         * broken connection counts as status 0).
         */
        private String placeRetrying(String customer, String key, Map<String, Integer> lines) throws InterruptedException {
            Instant giveUp = Instant.now().plus(Shop.SAGA_TIMEOUT);
            while (Instant.now().isBefore(giveUp)) {
                int status;
                try {
                    GatewayClient.Response response = shop.tryPlace(customer, key, lines);
                    if (response.status() == 201) {
                        placedAt.add(Instant.now());
                        return response.json().path("id").asString();
                    }
                    status = response.status();
                    answers.putIfAbsent(status, response.raw().headers().map() + " " + response.body());
                } catch (UncheckedIOException broken) {
                    status = 0;
                    answers.putIfAbsent(status, broken.toString());
                }
                failures.add(status);
                Thread.sleep(Duration.ofMillis(200));
            }
            throw new AssertionError("order " + key + " not placed within " + Shop.SAGA_TIMEOUT);
        }

        /** @param summaries the orders as their customers' order lists show them, once they are terminal */
        Figures figures(String fault, Map<String, JsonNode> summaries) {
            List<Duration> sagas = orders.keySet().stream().map(summaries::get)
                    .map(order -> Duration.between(Instant.parse(order.path("placedAt").asString()),
                            Instant.parse(order.path("updatedAt").asString())))
                    .sorted().toList();
            return new Figures(fault, orders.size(), byStatus(failures), Map.copyOf(answers), longestGap(placedAt),
                    sagas.get(sagas.size() / 2), sagas.getLast());
        }
    }

    /** Every order's OrderPlaced and OrderConfirmed reached orders.events: its outbox rows were all relayed. */
    private static void assertEveryOrderHasItsEventsOnKafka(Set<String> orderIds) {
        Map<String, Set<String>> typesByOrder = new HashMap<>();
        Map<String, Integer> recordsByOrder = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.infrastructure().kafka().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"))) {
            List<TopicPartition> partitions = consumer.partitionsFor(ORDERS_EVENTS).stream()
                    .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await("every order's OrderPlaced and OrderConfirmed on " + ORDERS_EVENTS).atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ZERO).untilAsserted(() -> {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                            typesByOrder.computeIfAbsent(record.key(), key -> new HashSet<>()).add(typeOf(record));
                            recordsByOrder.merge(record.key(), 1, Integer::sum);
                        }
                        assertThat(orderIds).allSatisfy(id -> assertThat(typesByOrder.getOrDefault(id, Set.of()))
                                .as("events of order %s", id)
                                .contains("io.polystore.order.OrderPlaced", "io.polystore.order.OrderConfirmed"));
                    });
        }
        long repeated = orderIds.stream().mapToInt(id -> recordsByOrder.get(id) - typesByOrder.get(id).size()).sum();
        System.out.printf("[ha] events of %d orders on %s, %d records relayed more than once%n", orderIds.size(),
                ORDERS_EVENTS, repeated);
    }

    /** The event's type, from its CloudEvents header (binary mode, as the relays write). */
    private static String typeOf(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        return type == null ? "" : new String(type.value(), StandardCharsets.UTF_8);
    }

    private static void assertTheAuditTrailVerifies() {
        GatewayClient.Response verification = shop.gateway.get("/api/audit/verify", shop.token("AUDITOR"));
        assertThat(verification.status()).as(verification.body()).isEqualTo(200);
        assertThat(verification.json().path("status").asString()).as(verification.body()).isEqualTo("INTACT");
    }

    private static void assertReconciliationFindsNoDrift(int orders) throws InterruptedException {
        // Reconciliation skips what changed within its grace period (10 s in the local profile).
        Thread.sleep(Duration.ofSeconds(11));
        GatewayClient.Response run = shop.gateway.post("/api/sync/reconciliation/runs", shop.token("ADMIN"), Map.of("repair", false));
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(run.json().path("ordersChecked").asInt()).as(run.body()).isGreaterThanOrEqualTo(orders);
        assertThat(run.json().path("driftCount").asInt(-1)).as(run.body()).isZero();
    }

    private static Map<Integer, Long> byStatus(Queue<Integer> statuses) {
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach(status -> counts.merge(status, 1L, Long::sum));
        return counts;
    }

    private static Duration longestGap(List<Instant> instants) {
        List<Instant> sorted = instants.stream().sorted().toList();
        Duration longest = Duration.ZERO;
        for (int i = 1; i < sorted.size(); i++) {
            Duration gap = Duration.between(sorted.get(i - 1), sorted.get(i));
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }
}
