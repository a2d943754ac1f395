package io.polystore.order;

import io.polystore.order.support.Catalog;
import io.polystore.order.support.OrderApi;
import io.polystore.order.support.OrderServiceIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.polystore.order.support.OrderApi.orderBody;
import static io.polystore.order.support.OrderApi.token;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Order placement through the whole service (HTTP, JWT, validation, pricing, Tink, Spring Data JDBC, saga, outbox)
 * against the same transaction as plain JDBC statements on the same database and pool, one after the other in one
 * run, with the same concurrency. Not part of {@code verify}; see the README for the command and figures.
 */
@OrderServiceIntegrationTest
// No catalog answers here: no saga reaches a deadline while it is measured (neither the notice that the stock is still
// awaited nor the timeout), so that deadline handling does not compete with placing, and the saga's back-pressure is off.
@TestPropertySource(properties = {"polystore.orders.saga.stock-reservation-timeout=1h",
        "polystore.orders.saga.stock-wait-notice=1h", "polystore.orders.saga.admission-max-backlog=2147483647"})
class OrderPlacementBenchmark {

    private static final int CLIENTS = Integer.getInteger("benchmark.clients", 8);
    private static final int ORDERS = Integer.getInteger("benchmark.orders", 2_000);
    private static final int WARM_UP = Integer.getInteger("benchmark.warm-up", 500);
    private static final int ROUNDS = Integer.getInteger("benchmark.rounds", 3);
    private static final int CUSTOMERS = 50;

    @Autowired
    OrderApi api;

    @Autowired
    Catalog catalog;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    record Result(double perSecond, double medianMillis, double p95Millis) {
    }

    @Test
    void placementThroughputAgainstTheRawTransaction() throws Exception {
        String book = catalog.product("12.50", "EUR");
        String pen = catalog.product("1.99", "EUR");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            tokens.add(token("bench-" + i, "CUSTOMER"));
        }
        String body = orderBody("EUR", book, pen);
        Runnable service = () -> {
            String token = tokens.get(ThreadLocalRandom.current().nextInt(CUSTOMERS));
            OrderApi.Response response = api.place(token, UUID.randomUUID().toString(), body);
            assertThat(response.status()).isEqualTo(201);
        };
        Runnable raw = () -> rawPlacement("bench-" + ThreadLocalRandom.current().nextInt(CUSTOMERS), book, pen);

        run(service, WARM_UP);
        run(raw, WARM_UP);
        List<Result> serviceRounds = new ArrayList<>();
        List<Result> rawRounds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            serviceRounds.add(run(service, ORDERS));
            rawRounds.add(run(raw, ORDERS));
        }
        Result serviceResult = median(serviceRounds);
        Result rawResult = median(rawRounds);

        System.out.printf(Locale.ROOT, "%nOrder placement, %d clients, %d orders per round, median of %d rounds:%n",
                CLIENTS, ORDERS, ROUNDS);
        System.out.printf(Locale.ROOT, "  service (HTTP POST /orders): %8.1f orders/s, latency median %6.2f ms, p95 %6.2f ms%n",
                serviceResult.perSecond(), serviceResult.medianMillis(), serviceResult.p95Millis());
        System.out.printf(Locale.ROOT, "  raw JDBC transaction:        %8.1f orders/s, latency median %6.2f ms, p95 %6.2f ms%n",
                rawResult.perSecond(), rawResult.medianMillis(), rawResult.p95Millis());
        System.out.printf(Locale.ROOT, "  service / raw throughput:    %8.2f%n", serviceResult.perSecond() / rawResult.perSecond());
        Timer server = meters.get("http.server.requests").tag("method", "POST").tag("uri", "/orders").timer();
        System.out.printf(Locale.ROOT, "  server-side time per POST /orders (all rounds): mean %6.2f ms%n%n",
                server.mean(TimeUnit.MILLISECONDS));
    }

    private Result run(Runnable placement, int orders) throws Exception {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long started = System.nanoTime();
        try (ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                futures.add(clients.submit(() -> {
                    long start = System.nanoTime();
                    placement.run();
                    latencies.add(System.nanoTime() - start);
                }));
            }
            for (Future<?> future : futures) {
                future.get();
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> sorted = latencies.stream().sorted().toList();
        return new Result(orders / seconds, sorted.get(sorted.size() / 2) / 1e6, sorted.get((int) (sorted.size() * 0.95)) / 1e6);
    }

    private static Result median(List<Result> rounds) {
        List<Result> byThroughput = rounds.stream().sorted((a, b) -> Double.compare(a.perSecond(), b.perSecond())).toList();
        return byThroughput.get(byThroughput.size() / 2);
    }

    /**
     * What placing an order writes, as plain statements in one transaction: the idempotency check, the prices, the
     * customer's key, the order and its lines, the saga with its two history entries, and the four outbox rows.
     */
    private void rawPlacement(String customerId, String book, String pen) {
        UUID orderId = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        Timestamp deadline = Timestamp.from(Instant.now().plus(Duration.ofHours(1)));
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                query(connection, "SELECT id FROM customer_order WHERE customer_id = ? AND idempotency_key = ?", customerId,
                        orderId.toString());
                query(connection, "SELECT product_id, price_amount FROM price_snapshot WHERE product_id IN (?, ?)", book, pen);
                query(connection, "SELECT key_id, wrapped_keyset FROM keyvault.customer_key WHERE customer_id = ?", customerId);
                update(connection, "INSERT INTO customer_order (id, customer_id, status, total_amount, currency, idempotency_key,"
                                + " request_fingerprint, personal_data_key_id, personal_data, version, placed_at, updated_at)"
                                + " VALUES (?, ?, 'PENDING', 28.98, 'EUR', ?, 'raw', ?, ?, 0, ?, ?)",
                        orderId, customerId, orderId.toString(), UUID.randomUUID(), new byte[180], now, now);
                for (int line = 0; line < 2; line++) {
                    update(connection, "INSERT INTO order_line (order_id, line_no, product_id, sku, product_name, quantity,"
                            + " unit_price, line_total) VALUES (?, ?, ?, 'SKU', 'Product', 2, 1.00, 2.00)",
                            orderId, line, line == 0 ? book : pen);
                }
                update(connection, "INSERT INTO order_saga (order_id, state, stock_released, deadline, attempts, started_at,"
                        + " updated_at, version) VALUES (?, 'AWAITING_STOCK', false, ?, 1, ?, ?, 0)", orderId, deadline, now, now);
                for (String state : List.of("PENDING", "AWAITING_STOCK")) {
                    update(connection, "INSERT INTO saga_transition (order_id, from_state, to_state, reason, occurred_at)"
                            + " VALUES (?, NULL, ?, 'raw', ?)", orderId, state, now);
                }
                for (int event = 0; event < 4; event++) {
                    update(connection, "INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, ce_source,"
                                    + " ce_time, ce_schemaversion) VALUES (?, 'orders.events', ?, 'raw', CAST(? AS jsonb),"
                                    + " '/benchmark', ?, 1)",
                            UUID.randomUUID(), orderId.toString(), "{\"orderId\":\"" + orderId + "\",\"lines\":[]}", now);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void query(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters); ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                rows.getObject(1);
            }
        }
    }

    private static void update(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = prepare(connection, sql, parameters)) {
            statement.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
