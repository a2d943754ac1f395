package io.polystore.order.replica;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.EventEnvelope;
import io.polystore.events.Money;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.events.Topics;
import io.polystore.events.kafka.KafkaEventBinding;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.order.support.TestCustomerDigestKey;
import io.polystore.servicedefaults.security.TokenRules;
import io.polystore.testkit.SharedServers;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica of a peer's order history: region-2's records, as MirrorMaker mirrors them here onto
 * {@code region-2.orders.history} (the test produces them there, standing in for region-2's relay and MirrorMaker),
 * applied newest version first whatever order and however often they come, and served read-only to their own
 * customers only, without personal data, saying whose replica it is.
 */
@OrderServiceIntegrationTest
class OrderReplicaIT {

    private static final String PEER = "region-2";
    private static final String MIRRORED = Topics.mirrored(PEER, Topics.ORDER_HISTORY);
    private static final Instant PLACED = Instant.parse("2026-11-30T09:00:00Z");

    @Autowired
    OrderApi api;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaEventBinding binding;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void recordsInAnyOrderAndDuplicatesLeaveTheNewestVersionAppliedOnce() {
        String customer = "eva-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        double staleBefore = stale();

        produce(record(orderId, customer, 2, "CANCELLED", "by the customer", PLACED));
        produce(record(orderId, customer, 0, "PENDING", null, PLACED));
        produce(record(orderId, customer, 1, "CONFIRMED", null, PLACED));
        produce(record(orderId, customer, 2, "CANCELLED", "by the customer", PLACED));

        await().atMost(Duration.ofSeconds(30)).until(() -> stale() - staleBefore >= 3);
        assertThat(stale() - staleBefore).isEqualTo(3);
        Map<String, Object> row = jdbc.sql("SELECT version, status, home_region, customer_key, record::text AS record"
                + " FROM order_replica WHERE order_id = :id").param("id", orderId).query().singleRow();
        assertThat(row).containsEntry("version", 2L).containsEntry("status", "CANCELLED")
                .containsEntry("home_region", PEER)
                .containsEntry("customer_key", TestCustomerDigestKey.digest(customer));
        assertThat((String) row.get("record")).contains("by the customer").doesNotContain(customer);

        // A newer version still replaces it.
        produce(record(orderId, customer, 3, "CANCELLED", "by the customer, later", PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> version(orderId) == 3);
    }

    /**
     * Migration V4 made the customer digest keyed, and the home region published every older order's record again:
     * the replica takes it at the version it holds because its customer key differs, once, and the customer finds
     * the order by the keyed digest of their token's subject only then.
     */
    @Test
    void aRecordPublishedAgainWithTheKeyedDigestReplacesTheUnkeyedOneAtTheSameVersionOnce() {
        String customer = "uwe-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        String unkeyed = TestCustomerDigestKey.unkeyedDigest(customer);
        String keyed = TestCustomerDigestKey.digest(customer);
        produce(recordUnder(unkeyed, orderId, 1, "CONFIRMED", null, PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> version(orderId) == 1);
        assertThat(customerKey(orderId)).isEqualTo(unkeyed);
        String token = token(customer, PEER);
        assertThat(api.get(token, "/orders/replica/" + orderId).status()).as("found by the unkeyed digest")
                .isEqualTo(404);
        double appliedBefore = applied();
        double staleBefore = stale();

        produce(recordUnder(keyed, orderId, 1, "CONFIRMED", null, PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> customerKey(orderId).equals(keyed));
        assertThat(version(orderId)).isEqualTo(1);
        Response order = api.get(token, "/orders/replica/" + orderId);
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.body().path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(api.get(token, "/orders/replica").body().path("items")).extracting(item -> item.path("id").asString())
                .containsExactly(orderId.toString());

        // The same keyed record again (a redelivery) changes nothing.
        produce(recordUnder(keyed, orderId, 1, "CONFIRMED", null, PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> stale() - staleBefore >= 1);
        assertThat(applied() - appliedBefore).isEqualTo(1);
        assertThat(customerKey(orderId)).isEqualTo(keyed);
    }

    @Test
    void aCustomerReadsTheirOwnReplicatedOrdersOnlyWithoutPersonalDataAndTheRegionTheyAreFrom() {
        String eva = "eva-" + UUID.randomUUID();
        String otto = "otto-" + UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        UUID ottos = UUID.randomUUID();
        produce(record(older, eva, 1, "CONFIRMED", null, PLACED));
        produce(record(newer, eva, 0, "PENDING", null, PLACED.plus(1, ChronoUnit.HOURS)));
        produce(record(ottos, otto, 0, "PENDING", null, PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> version(older) == 1 && version(newer) == 0 && version(ottos) == 0);
        String evasToken = token(eva, PEER);

        Response order = api.get(evasToken, "/orders/replica/" + older);
        assertThat(order.status()).isEqualTo(200);
        assertThat(order.header("Polystore-Replica-Of")).isEqualTo(PEER);
        JsonNode body = order.body();
        assertThat(body.path("id").asString()).isEqualTo(older.toString());
        assertThat(body.path("customerId").asString()).isEqualTo(eva);
        assertThat(body.path("status").asString()).isEqualTo("CONFIRMED");
        assertThat(body.path("personalData").isNull()).as("personalData: %s", body).isTrue();
        assertThat(body.path("personalDataMasked").asBoolean()).isTrue();
        assertThat(body.path("total").path("amount").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(body.path("lines").get(0).path("unitPrice").path("amount").decimalValue()).isEqualByComparingTo("12.50");
        assertThat(body.path("lines").get(0).path("name").asString()).isEqualTo("Book");

        Response page = api.get(evasToken, "/orders/replica?limit=1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Polystore-Replica-Of")).isEqualTo(PEER);
        assertThat(page.body().path("items")).extracting(item -> item.path("id").asString()).containsExactly(newer.toString());
        Response next = api.get(evasToken, "/orders/replica?limit=1&cursor=" + page.body().path("nextCursor").asString());
        assertThat(next.body().path("items")).extracting(item -> item.path("id").asString()).containsExactly(older.toString());
        assertThat(next.body().path("nextCursor").isNull()).isTrue();
        assertThat(api.get(evasToken, "/orders/replica?status=CONFIRMED").body().path("items"))
                .extracting(item -> item.path("id").asString()).containsExactly(older.toString());

        // Otto's order is not Eva's: as if it did not exist.
        Response others = api.get(evasToken, "/orders/replica/" + ottos);
        assertThat(others.status()).isEqualTo(404);
        assertThat(others.body().path("status").asInt()).isEqualTo(404);
        assertThat(others.body().path("detail").asString()).isEqualTo("No order " + ottos + " of yours homed in region-2 is replicated here.");
        assertThat(api.get(evasToken, "/orders/replica/" + UUID.randomUUID()).status()).isEqualTo(404);
        // Eva claiming another home region finds none of region-2's orders.
        assertThat(api.get(token(eva, "region-3"), "/orders/replica/" + older).status()).isEqualTo(404);
        assertThat(api.get(token(eva, "region-3"), "/orders/replica").body().path("items")).isEmpty();
        // The customer role is needed.
        assertThat(api.get(SharedServers.tokens().token(claims -> claims.subject(eva).claim("roles", List.of("AUDITOR"))
                .claim(TokenRules.HOME_REGION_CLAIM, PEER)), "/orders/replica").status()).isEqualTo(403);
    }

    @Test
    void theReplicaIsReadOnly() {
        String eva = "eva-" + UUID.randomUUID();
        UUID orderId = UUID.randomUUID();
        produce(record(orderId, eva, 0, "PENDING", null, PLACED));
        await().atMost(Duration.ofSeconds(30)).until(() -> version(orderId) == 0);
        String token = token(eva, PEER);

        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            assertThat(send(method, "/orders/replica", token)).as(method + " /orders/replica").isEqualTo(405);
            assertThat(send(method, "/orders/replica/" + orderId, token)).as(method + " /orders/replica/{id}").isEqualTo(405);
        }
        assertThat(api.post(token, "/orders/replica/" + orderId + "/cancel").status()).isEqualTo(404);
        assertThat(version(orderId)).isZero();
    }

    /**
     * A region this one was not configured with joins while it runs: its mirrored history topic, created after the
     * listener subscribed (as MirrorMaker creates it at its first pass), is read from its beginning without a restart.
     */
    @Test
    void theHistoryOfARegionThatJoinsWhileTheServiceRunsIsReplicatedToo() throws Exception {
        String joining = "joining-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = Topics.mirrored(joining, Topics.ORDER_HISTORY);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedServers.kafka().bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        UUID orderId = UUID.randomUUID();
        OrderHistoryRecorded confirmed = new OrderHistoryRecorded(orderId, joining,
                TestCustomerDigestKey.digest("ida-" + UUID.randomUUID()), 1, "CONFIRMED", null,
                new Money(new BigDecimal("25.00"), "EUR"), List.of(new OrderHistoryRecorded.Line("book", "BK-1", "Book", 2,
                new BigDecimal("12.50"), new BigDecimal("25.00"))), PLACED, PLACED.plusSeconds(1));
        long begin = System.nanoTime();
        produce(topic, confirmed);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> version(orderId) == 1);
        System.out.printf("Region %s joined: its first order history record replicated after %.2f s%n", joining,
                (System.nanoTime() - begin) / 1e9);
        assertThat(jdbc.sql("SELECT home_region FROM order_replica WHERE order_id = :id").param("id", orderId)
                .query(String.class).single()).isEqualTo(joining);
    }

    private int send(String method, String path, String token) {
        return api.send(method, token, path).status();
    }

    private static OrderHistoryRecorded record(UUID orderId, String customer, long version, String status,
                                               String reason, Instant placedAt) {
        return recordUnder(TestCustomerDigestKey.digest(customer), orderId, version, status, reason, placedAt);
    }

    private static OrderHistoryRecorded recordUnder(String customerKey, UUID orderId, long version, String status,
                                                    String reason, Instant placedAt) {
        return new OrderHistoryRecorded(orderId, PEER, customerKey, version, status,
                reason, new Money(new BigDecimal("25.00"), "EUR"), List.of(new OrderHistoryRecorded.Line("book",
                "BK-1", "Book", 2, new BigDecimal("12.50"), new BigDecimal("25.00"))), placedAt,
                placedAt.plusSeconds(version));
    }

    /** As region-2's relay writes it and MirrorMaker mirrors it here: same key, value and headers. */
    private void produce(OrderHistoryRecorded record) {
        produce(MIRRORED, record);
    }

    private void produce(String topic, OrderHistoryRecorded record) {
        ProducerRecord<String, byte[]> relayed = binding.toProducerRecord(
                EventEnvelope.of(record, "/order-service", Clock.systemUTC()));
        try {
            kafka.send(new ProducerRecord<>(topic, null, relayed.key(), relayed.value(), relayed.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long version(UUID orderId) {
        return jdbc.sql("SELECT version FROM order_replica WHERE order_id = :id").param("id", orderId)
                .query(Long.class).optional().orElse(-1L);
    }

    private String customerKey(UUID orderId) {
        return jdbc.sql("SELECT customer_key FROM order_replica WHERE order_id = :id").param("id", orderId)
                .query(String.class).single();
    }

    private double applied() {
        return meters.get("polystore.orders.replica.records").tag("outcome", "applied").counter().count();
    }

    private double stale() {
        return meters.get("polystore.orders.replica.records").tag("outcome", "stale").counter().count();
    }

    private static String token(String subject, String homeRegion) {
        return SharedServers.tokens().token(claims -> claims.subject(subject).claim("roles", List.of("CUSTOMER"))
                .claim(TokenRules.HOME_REGION_CLAIM, homeRegion));
    }
}
