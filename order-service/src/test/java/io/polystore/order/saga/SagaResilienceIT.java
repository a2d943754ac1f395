package io.polystore.order.saga;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.order.OrderServiceApplication;
import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderDatabase;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.polystore.order.support.TestCustomerDigestKey;
import io.polystore.order.support.TestMasterKey;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.postgres.PostgresServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.polystore.order.support.OrderApi.orderBody;
import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@OrderServiceIntegrationTest
class SagaResilienceIT {

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    OrderDatabase database;

    @Autowired
    OrderPlacementSaga saga;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    static String book;

    @BeforeEach
    void products() {
        if (book == null) {
            book = catalog.product("12.50", "EUR");
        }
    }

    @Test
    void aSagaResumesWhereItWasAfterARestart() {
        UUID orderId = api.placeOrder("alice", book);
        // This instance goes down before the catalog answers ...
        listeners.stop();
        try {
            catalog.reserved(orderId, "reservation-after-restart", book);

            // ... and a fresh one, knowing nothing but the database, takes over.
            try (ConfigurableApplicationContext restarted = startAnotherInstance()) {
                // Generous: starting a second application on two busy cores can take a while.
                await().atMost(Duration.ofSeconds(120)).until(() -> database.sagaState(orderId).equals("CONFIRMED"));
                // A slow start may let the stock-wait notice add a step that waits on (AWAITING_STOCK again).
                assertThat(restarted.getBean(OrderPlacementSaga.class).history(orderId))
                        .extracting(SagaTransition::to)
                        .containsSubsequence(SagaState.PENDING, SagaState.AWAITING_STOCK, SagaState.CONFIRMED)
                        .containsOnly(SagaState.PENDING, SagaState.AWAITING_STOCK, SagaState.CONFIRMED);
            }
        } finally {
            listeners.start();
        }
        assertThat(api.get(token("alice", "CUSTOMER"), "/orders/" + orderId).body().path("personalData").path("name")
                .asString()).isEqualTo("Alice Example");
    }

    @Test
    void replicasHandlingDeadlinesAtOnceHandleEachSagaOnce() throws Exception {
        List<UUID> orders = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            orders.add(api.placeOrder("alice", book));
        }
        orders.forEach(database::passBusinessDeadline);

        // Four more "replicas" compete with this instance's own poller.
        Callable<Integer> replica = () -> {
            int handled = 0;
            while (saga.handleNextDeadline()) {
                handled++;
            }
            return handled;
        };
        try (var executor = Executors.newFixedThreadPool(4)) {
            List<Future<Integer>> results = executor.invokeAll(List.of(replica, replica, replica, replica));
            for (Future<Integer> result : results) {
                result.get();
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> orders.stream().allMatch(id -> database.sagaState(id).equals("REJECTED")));
        for (UUID orderId : orders) {
            assertThat(saga.history(orderId)).filteredOn(step -> step.to() == SagaState.REJECTED).hasSize(1);
            assertThat(database.outboxTypes(orderId.toString()))
                    .filteredOn(type -> type.equals("io.polystore.catalog.ReleaseStock")).hasSize(1);
        }
    }

    @Test
    void outcomesAreCountedAndTimed() {
        double confirmedBefore = counter("polystore.orders.confirmed");
        double placedBefore = counter("polystore.orders.placed");
        UUID orderId = api.placeOrder("alice", book);
        catalog.reserved(orderId, "reservation-metrics", book);
        await().atMost(Duration.ofSeconds(30)).until(() -> database.sagaState(orderId).equals("CONFIRMED"));

        assertThat(counter("polystore.orders.placed")).isEqualTo(placedBefore + 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> counter("polystore.orders.confirmed") == confirmedBefore + 1);
        assertThat(meters.get("polystore.orders.saga.duration").tag("outcome", "confirmed").timer().count()).isPositive();
        // The per-state counts are reused for a few seconds.
        await().atMost(Duration.ofSeconds(15))
                .until(() -> meters.get("polystore.orders.sagas").tag("state", "confirmed").gauge().value() > 0);
    }

    @Test
    void aSagaHeldPastItsDeadlineShowsAsOverdueThenItsExpiryAndCompensationAreCounted() throws Exception {
        double expiredBefore = meters.get("polystore.orders.saga.deadlines.expired").tag("step", "awaiting_stock").counter().count();
        double compensationsBefore = meters.get("polystore.orders.saga.compensations").tag("cause", "reservation_timeout")
                .counter().count();
        UUID orderId = api.placeOrder("alice", book);
        // Due a moment after another transaction holds the saga, as a replica stuck mid-step would: the deadline
        // poller skips it.
        database.passBusinessDeadline(orderId, Duration.ofSeconds(2));
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (PreparedStatement lock = holder.prepareStatement("SELECT 1 FROM order_saga WHERE order_id = ? FOR UPDATE")) {
                lock.setObject(1, orderId);
                lock.executeQuery().close();
            }
            await("saga overdue").atMost(Duration.ofSeconds(30)).until(() ->
                    meters.get("polystore.orders.sagas.overdue").gauge().value() >= 1
                            && meters.get("polystore.orders.sagas.overdue.age").timeGauge().value() >= 1);
            assertThat(database.sagaState(orderId)).isEqualTo("AWAITING_STOCK");
            holder.rollback();
        }

        await("saga rejected").atMost(Duration.ofSeconds(30)).until(() -> database.sagaState(orderId).equals("REJECTED"));
        await("expiry and compensation counted").atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(meters.get("polystore.orders.saga.deadlines.expired").tag("step", "awaiting_stock").counter().count())
                    .isEqualTo(expiredBefore + 1);
            assertThat(meters.get("polystore.orders.saga.compensations").tag("cause", "reservation_timeout").counter().count())
                    .isEqualTo(compensationsBefore + 1);
        });
        await("nothing overdue any more").atMost(Duration.ofSeconds(15))
                .until(() -> meters.get("polystore.orders.sagas.overdue").gauge().value() == 0);
    }

    @Test
    void ordersAreRefusedWith503AndRetryAfterWhileTheSagaHasFallenBehind() {
        List<UUID> backlog = new ArrayList<>();
        for (int i = 0; i <= 200; i++) {
            UUID orderId = api.placeOrder("alice", book);
            database.postponeDeadline(orderId);
            backlog.add(orderId);
        }
        String token = token("alice", "CUSTOMER");
        // As if the catalog had not answered these 201 orders for a minute: more than 200 waiting longer than 5 s.
        assertThat(database.startedEarlier(backlog, 60)).isEqualTo(backlog.size());
        try {
            // Admission counts the backlog every second; until then orders are still taken.
            await("orders refused").atMost(Duration.ofSeconds(30))
                    .until(() -> api.place(token, UUID.randomUUID().toString(), orderBody("EUR", book)).status() == 503);
            long ordersBefore = database.count("customer_order");
            OrderApi.Response refused = api.place(token, UUID.randomUUID().toString(), orderBody("EUR", book));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("5");
            assertThat(refused.body().path("detail").asString()).contains("orders wait longer than 5 s");
            assertThat(database.count("customer_order")).isEqualTo(ordersBefore);
            assertThat(counter("polystore.orders.admission.refused")).isPositive();
        } finally {
            // The catalog never answers them here: their business deadline passes and the saga rejects them.
            backlog.forEach(database::passBusinessDeadline);
        }
        await("orders taken again").atMost(Duration.ofSeconds(60))
                .until(() -> api.place(token, UUID.randomUUID().toString(), orderBody("EUR", book)).status() == 201);
    }

    private double counter(String name) {
        var counter = meters.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static ConfigurableApplicationContext startAnotherInstance() {
        PostgresServer postgres = SharedServers.postgres();
        var tokens = SharedServers.tokens();
        return new SpringApplicationBuilder(OrderServiceApplication.class).run(
                "--server.port=0",
                "--spring.datasource.url=" + postgres.jdbcUrl("orders"),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password(),
                "--spring.kafka.bootstrap-servers=" + SharedServers.kafka().bootstrapServers(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + tokens.issuer(),
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + tokens.jwkSetUri(),
                "--polystore.personal-data.master-key=" + TestMasterKey.BASE64,
                "--polystore.orders.customer-digest-key=" + TestCustomerDigestKey.BASE64);
    }
}
