package io.polystore.e2e;

import io.polystore.testkit.platform.GatewayClient;
import io.polystore.testkit.platform.LocalPlatform;
import io.polystore.testkit.platform.PlatformPorts;
import io.polystore.testkit.platform.PlatformService;
import io.polystore.testkit.platform.Topology;
import io.polystore.testkit.postgres.PostgresFailover;
import io.polystore.testkit.postgres.ReplicatedPostgres;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
 * primary and hot standby with automatic fail-over, three Kafka brokers): a burst of orders from several clients
 * while an order-service instance is killed with SIGKILL and, later, the PostgreSQL primary is killed with SIGKILL and
 * the standby promoted by the platform's fail-over watch (once the standby holds a usable copy of sync-service's
 * fail-over slot: a fail-over before that would leave the CDC relay without its position). Afterwards every order is CONFIRMED (each had stock), none
 * was placed twice, stock is conserved, every order's events reached Kafka, the audit trail verifies and
 * reconciliation finds no drift. It prints what the faults cost: requests the gateway failed, the longest time no
 * order could be placed, the fail-over's own time.
 *
 * <p>Its own JVM (failsafe execution {@code high-availability}), as it needs a platform of another shape than the
 * rest of the suite.
 */
class HighAvailabilityIT {

    /** platform-events' Topics.ORDERS_EVENTS (the suite keeps to the platform's HTTP API and its wire formats). */
    private static final String ORDERS_EVENTS = "orders.events";
    private static final int CLIENTS = 3;
    private static final int INITIAL_STOCK = 1_000;
    /** Per client, between its orders: some 5 orders a second in all. */
    private static final Duration PACE = Duration.ofMillis(500);
    /** Orders placed before the instance is killed, and after the primary was killed. */
    private static final Duration BEFORE_FAULTS = Duration.ofSeconds(5);
    private static final Duration AFTER_FAULTS = Duration.ofSeconds(15);

    private static LocalPlatform platform;
    private static Shop shop;

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
        shop = new Shop(platform, platform.gateway());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aBurstOfOrdersRidesOutAKilledInstanceAndAPostgresFailOverWithNothingLost() throws Exception {
        List<String> products = List.of(shop.createProduct("HA kettle", INITIAL_STOCK), shop.createProduct("HA teapot", INITIAL_STOCK));
        Map<String, Integer> warmUpLines = Map.of(products.get(0), 1, products.get(1), 1);
        String warmUp = shop.placeOrder(warmUpLines);
        ReplicatedPostgres postgres = (ReplicatedPostgres) platform.infrastructure().postgres();
        PostgresFailover failover = platform.infrastructure().postgresFailover().orElseThrow();
        int ordersBefore = shop.statuses().size();

        // Each client orders (1 or 2 units of either product, its own idempotency key) until told to stop.
        Map<String, Map<String, Integer>> orders = new ConcurrentHashMap<>(Map.of(warmUp, warmUpLines));
        Queue<Integer> failures = new ConcurrentLinkedQueue<>();
        List<Instant> placedAt = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean ordering = new AtomicBoolean(true);
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> sent = new ArrayList<>();
            for (int client = 0; client < CLIENTS; client++) {
                sent.add(clients.submit(() -> {
                    for (int i = 0; ordering.get(); i++) {
                        Map<String, Integer> lines = Map.of(products.get(i % 2), 1 + i % 2);
                        orders.put(placeRetrying(UUID.randomUUID().toString(), lines, failures, placedAt), lines);
                        Thread.sleep(PACE);
                    }
                    return null;
                }));
            }
            Thread.sleep(BEFORE_FAULTS);
            platform.instances(PlatformService.ORDERS).getFirst().kill();
            System.out.println("[ha] order-service instance 1 killed (SIGKILL) at " + Instant.now());
            // What a fail-over manager must wait for before it may promote without breaking change-data capture: the
            // standby's copy of sync-service's slot is usable once the primary's has moved past where the copy began.
            Instant slotWait = Instant.now();
            await("the standby's copy of the CDC fail-over slot usable").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(postgres::standbyHoldsTheFailoverSlots);
            System.out.printf("[ha] the standby held a usable copy of the fail-over slot after %d ms%n",
                    Duration.between(slotWait, Instant.now()).toMillis());
            postgres.killPrimary();
            System.out.println("[ha] PostgreSQL primary killed (SIGKILL) at " + Instant.now());
            Thread.sleep(AFTER_FAULTS);
            ordering.set(false);
            for (Future<?> client : sent) {
                client.get();
            }
        }
        await("the standby promoted").atMost(Duration.ofMinutes(1)).until(() -> !failover.failOvers().isEmpty());

        Map<String, String> statuses = shop.awaitTerminal(orders.keySet());

        System.out.printf("[ha] %d orders from %d clients: %d requests failed at the gateway %s, longest time without"
                        + " a placed order %d ms, PostgreSQL without a primary %d ms (fail-over watch)%n",
                orders.size(), CLIENTS, failures.size(), byStatus(failures), longestGap(placedAt).toMillis(),
                failover.failOvers().getFirst().withoutPrimary().toMillis());
        assertThat(shop.statuses()).as("alice's orders: one per idempotency key, none placed twice")
                .hasSize(ordersBefore + orders.size() - 1);
        assertThat(statuses).as("orders that had stock").allSatisfy((id, status) -> assertThat(status).isEqualTo("CONFIRMED"));
        shop.assertStockConserved(products, INITIAL_STOCK, orders, statuses);
        assertEveryOrderHasItsEventsOnKafka(orders.keySet());
        assertTheAuditTrailVerifies();
        assertReconciliationFindsNoDrift(statuses);
    }

    /** Places the order, sending it again under its idempotency key after each failure (as a client would). */
    private static String placeRetrying(String key, Map<String, Integer> lines, Queue<Integer> failures, List<Instant> placedAt) {
        Instant giveUp = Instant.now().plus(Shop.SAGA_TIMEOUT);
        while (Instant.now().isBefore(giveUp)) {
            GatewayClient.Response response = shop.tryPlace(key, lines);
            if (response.status() == 201) {
                placedAt.add(Instant.now());
                return response.json().path("id").asString();
            }
            failures.add(response.status());
            sleep(Duration.ofMillis(200));
        }
        throw new AssertionError("order " + key + " not placed within " + Shop.SAGA_TIMEOUT);
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

    private static void assertReconciliationFindsNoDrift(Map<String, String> statuses) throws InterruptedException {
        // Reconciliation skips what changed within its grace period (10 s in the local profile).
        Thread.sleep(Duration.ofSeconds(11));
        GatewayClient.Response run = shop.gateway.post("/api/sync/reconciliation/runs", shop.token("ADMIN"), Map.of("repair", false));
        assertThat(run.status()).as(run.body()).isEqualTo(201);
        assertThat(run.json().path("ordersChecked").asInt()).as(run.body()).isGreaterThanOrEqualTo(statuses.size());
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
