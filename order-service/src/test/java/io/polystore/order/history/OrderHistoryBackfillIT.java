package io.polystore.order.history;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.events.Money;
import io.polystore.events.OrderHistoryRecorded;
import io.polystore.events.Topics;
import io.polystore.order.history.OrderHistoryBackfill.Batch;
import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderApi.Response;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderDatabase.OutboxRow;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.order.support.TestCustomerDigestKey;
import io.polystore.servicedefaults.outbox.OutboxWriter;
import io.polystore.servicedefaults.region.RegionProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Orders that existed before every change wrote their history record, inserted here without one (as the orders of a
 * database from before the replica): the backfill publishes each one's record once, through the outbox (what the
 * relay publishes to {@code orders.history}), in batches resumed from the last committed one, with two instances
 * taking turns, while customers place orders; never a version older than a change committing meanwhile; and a
 * second run publishes nothing.
 */
@OrderServiceIntegrationTest
class OrderHistoryBackfillIT {

    private static final String HISTORY = "io.polystore.order.OrderHistoryRecorded";
    /** As if this version's migration had run then: the orders below were placed the year before. */
    private static final Instant RECORDS_SINCE = Instant.parse("2020-01-01T00:00:00Z");
    private static final Instant PLACED = Instant.parse("2019-06-01T08:00:00Z");
    private static final int ORDERS = 45;

    @Autowired
    OrderHistoryBackfill backfill;

    @Autowired
    HistoryBackfillProperties properties;

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    RegionProperties region;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionTemplate transaction;

    @Autowired
    OutboxWriter outbox;

    private final List<UUID> inserted = new ArrayList<>();

    @Test
    void everyOrderWithoutARecordIsPublishedOnceAcrossBatchesInstancesAndACrashThenNeverAgain() throws Exception {
        String book = catalog.product("12.50", "EUR");
        String customer = "ilse-" + UUID.randomUUID();
        List<UUID> old = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            // Three orders per minute: batches end between orders placed at the same instant too.
            Instant placed = PLACED.plusSeconds(60L * (i / 3));
            old.add(insertOrder(customer, placed, placed.plusSeconds(30)));
        }
        // Placed before, but changed since: that change wrote its record.
        Instant placed = PLACED.plusSeconds(60L * 10);
        UUID changedSince = insertOrder(customer, placed, RECORDS_SINCE.plusSeconds(3600));
        restartWalk();
        assertThat(properties.batchSize()).as("the test's batches").isEqualTo(10);
        double backfilledBefore = backfilled();

        // One batch, then this instance is gone: the walk goes on from its cursor.
        assertThat(backfill.publishNextBatch()).contains(new Batch(10, false));
        // Two instances at once, while customers place orders.
        List<Response> placedMeanwhile;
        long publishedByBoth;
        try (ExecutorService threads = Executors.newFixedThreadPool(3)) {
            Future<Long> one = threads.submit(backfill::run);
            Future<Long> other = threads.submit(backfill::run);
            Future<List<Response>> placing = threads.submit(() -> {
                List<Response> responses = new ArrayList<>();
                while (!one.isDone() || !other.isDone() || responses.size() < 5) {
                    responses.add(api.place(token("otto-" + UUID.randomUUID(), "CUSTOMER"), UUID.randomUUID().toString(),
                            OrderApi.orderBody("EUR", book)));
                }
                return responses;
            });
            publishedByBoth = one.get() + other.get();
            placedMeanwhile = placing.get();
        }

        assertThat(10 + publishedByBoth).isEqualTo(ORDERS);
        assertThat(backfilled() - backfilledBefore).isEqualTo(ORDERS);
        for (UUID orderId : old) {
            assertThat(records(orderId)).as("records of order %s", orderId).singleElement().satisfies(record -> {
                assertThat(record.topic()).isEqualTo(Topics.ORDER_HISTORY);
                assertThat(record.key()).isEqualTo(orderId.toString());
                assertThat(record.payload().path("version").asLong()).isEqualTo(1);
                assertThat(record.payload().path("status").asString()).isEqualTo("CONFIRMED");
                assertThat(record.payload().path("homeRegion").asString()).isEqualTo(region.name());
                assertThat(record.payload().path("customerKey").asString())
                        .isEqualTo(TestCustomerDigestKey.digest(customer));
                assertThat(record.payload().path("lines").get(0).path("productId").asString()).isEqualTo("book");
                assertThat(record.payload().toString()).doesNotContain(customer, "ilse");
            });
        }
        assertThat(records(changedSince)).isEmpty();
        Map<String, Object> walk = jdbc.sql("SELECT published, started_at, finished_at FROM order_history_backfill")
                .query().singleRow();
        assertThat(walk.get("published")).isEqualTo((long) ORDERS);
        assertThat(walk.get("finished_at")).isNotNull();

        // The request path: every order placed meanwhile accepted, with its own record only.
        System.out.printf("Order history backfill: %d orders placed while %d records were published%n",
                placedMeanwhile.size(), ORDERS - 10);
        assertThat(placedMeanwhile).isNotEmpty().allSatisfy(response -> {
            assertThat(response.status()).as("placing: %s", response.body()).isEqualTo(201);
            assertThat(records(response.id())).extracting(record -> record.payload().path("version").asLong())
                    .containsExactly(0L);
        });

        // Done once: a second run, as after a restart, publishes nothing.
        long historyRows = database.outboxCount(HISTORY);
        assertThat(backfill.run()).isZero();
        assertThat(backfill.publishNextBatch()).contains(new Batch(0, true));
        assertThat(database.outboxCount(HISTORY)).isEqualTo(historyRows);
        assertThat(backfilled() - backfilledBefore).isEqualTo(ORDERS);
    }

    /**
     * A change that commits while the batch runs: the batch waits for it, so it never publishes the version the change
     * replaced after the change's own record (the compacted topic would keep that stale record as the order's last).
     */
    @Test
    void aBatchWaitsForAChangeInProgressAndLeavesTheChangedOrderToItsOwnRecord() throws Exception {
        UUID racing = insertOrder("jan-" + UUID.randomUUID(), PLACED, PLACED.plusSeconds(30));
        restartWalk();
        CountDownLatch changing = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            // As the saga changes an order: its row updated, not yet committed.
            Future<?> change = threads.submit(() -> transaction.executeWithoutResult(status -> {
                jdbc.sql("UPDATE customer_order SET status = 'CANCELLED', version = 2, updated_at = now() WHERE id = :id")
                        .param("id", racing).update();
                changing.countDown();
                try {
                    commit.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
            changing.await();
            Future<Optional<Batch>> batch = threads.submit(backfill::publishNextBatch);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND query LIKE '%FROM customer_order WHERE placed_at <%FOR SHARE%'""")
                        .query(Long.class).single() == 1);
            } finally {
                // Also when the batch did not wait: the change must end, or the threads would never finish.
                commit.countDown();
            }
            change.get();
            assertThat(batch.get()).contains(new Batch(0, true));
        }
        assertThat(records(racing)).isEmpty();
    }

    /**
     * Migration V4, the customer digest made keyed: an order recorded before it, its record carrying the plain SHA-256
     * of the customer's id, is published once more at the same version with the keyed digest; a second run publishes
     * nothing. The migration's own statement restarts the walk, over every order in the database.
     */
    @Test
    void afterMigrationV4EveryOrderRecordedBeforeIsPublishedAgainWithTheKeyedDigestOnce() throws Exception {
        assertThat(jdbc.sql("SELECT count(*) FROM flyway_schema_history WHERE version = '4' AND success")
                .query(Long.class).single()).as("V4 applied at start-up").isOne();
        // Whatever walk is under way goes to its end first, so that only V4's restart publishes the order below.
        backfill.run();
        String customer = "vera-" + UUID.randomUUID();
        Instant placed = Instant.now().minus(Duration.ofHours(2));
        UUID recorded = insertOrder(customer, placed, placed.plusSeconds(30));
        // Its record as the version before V4 published it.
        String unkeyed = TestCustomerDigestKey.unkeyedDigest(customer);
        transaction.executeWithoutResult(status -> outbox.write(new OrderHistoryRecorded(recorded, region.name(),
                unkeyed, 1, "CONFIRMED", null, new Money(new BigDecimal("25.00"), "EUR"),
                List.of(new OrderHistoryRecorded.Line("book", "BK-1", "Book", 2, new BigDecimal("12.50"),
                        new BigDecimal("25.00"))), placed, placed.plusSeconds(30))));

        jdbc.sql(new ClassPathResource("db/migration/V4__order_history_keyed_digest.sql")
                .getContentAsString(StandardCharsets.UTF_8)).update();
        Map<String, Object> restarted = jdbc.sql("""
                        SELECT records_since > :updated AS after_the_order, after_id, published, started_at, finished_at
                        FROM order_history_backfill""")
                .param("updated", OffsetDateTime.ofInstant(placed.plusSeconds(30), ZoneOffset.UTC)).query().singleRow();
        assertThat(restarted).containsEntry("after_the_order", true).containsEntry("after_id", null)
                .containsEntry("published", 0L).containsEntry("started_at", null).containsEntry("finished_at", null);

        long published = backfill.run();
        assertThat(published).as("every order in the database, this one among them").isPositive();
        assertThat(records(recorded)).extracting(record -> record.payload().path("version").asLong() + " "
                        + record.payload().path("customerKey").asString())
                .containsExactly("1 " + unkeyed, "1 " + TestCustomerDigestKey.digest(customer));
        assertThat(records(recorded).getLast().payload().path("status").asString()).isEqualTo("CONFIRMED");

        // Done once: a second run publishes nothing.
        long historyRows = database.outboxCount(HISTORY);
        assertThat(backfill.run()).isZero();
        assertThat(database.outboxCount(HISTORY)).isEqualTo(historyRows);
        assertThat(records(recorded)).hasSize(2);
    }

    /** An order of before, CONFIRMED (version 1), with its line and without any outbox row. */
    private UUID insertOrder(String customer, Instant placedAt, Instant updatedAt) {
        UUID orderId = UUID.randomUUID();
        jdbc.sql("""
                        INSERT INTO customer_order (id, customer_id, status, total_amount, currency, idempotency_key,
                            request_fingerprint, personal_data_key_id, personal_data, version, placed_at, updated_at)
                        VALUES (:id, :customer, 'CONFIRMED', 25.00, 'EUR', :key, 'before', :keyId, :sealed, 1,
                            :placedAt, :updatedAt)""")
                .param("id", orderId).param("customer", customer).param("key", orderId.toString())
                .param("keyId", UUID.randomUUID()).param("sealed", new byte[32])
                .param("placedAt", OffsetDateTime.ofInstant(placedAt, ZoneOffset.UTC))
                .param("updatedAt", OffsetDateTime.ofInstant(updatedAt, ZoneOffset.UTC))
                .update();
        jdbc.sql("""
                        INSERT INTO order_line (order_id, line_no, product_id, sku, product_name, quantity, unit_price,
                            line_total) VALUES (:id, 0, 'book', 'BK-1', 'Book', 2, 12.50, 25.00)""")
                .param("id", orderId).update();
        inserted.add(orderId);
        return orderId;
    }

    /** The orders of before are gone again, so that each test walks its own only. */
    @AfterEach
    void deleteInserted() {
        if (!inserted.isEmpty()) {
            jdbc.sql("DELETE FROM customer_order WHERE id IN (:ids)").param("ids", inserted).update();
        }
    }

    /** The walk's state as migration V3 leaves it, had it run at {@link #RECORDS_SINCE}. */
    private void restartWalk() {
        jdbc.sql("""
                        UPDATE order_history_backfill SET records_since = :since, after_placed_at = NULL,
                            after_id = NULL, published = 0, started_at = NULL, finished_at = NULL""")
                .param("since", OffsetDateTime.ofInstant(RECORDS_SINCE, ZoneOffset.UTC)).update();
    }

    private List<OutboxRow> records(UUID orderId) {
        return database.outbox(orderId.toString()).stream().filter(row -> row.type().equals(HISTORY)).toList();
    }

    private double backfilled() {
        return meters.get("polystore.orders.history.backfilled").counter().count();
    }
}
