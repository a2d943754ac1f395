package io.polystore.gateway.limits.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** However many requests arrive, only a few take from their buckets at once; the others are let through, counted. */
class BucketTableTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Never connects: the statements here do not touch it. */
    private final BucketTable table = new BucketTable(JdbcClient.create(new DriverManagerDataSource()), meters);

    @Test
    void aStatementFindingEveryPlaceTakenIsNotRunButCounted() throws Exception {
        CountDownLatch running = new CountDownLatch(BucketTable.STATEMENTS_AT_ONCE);
        CountDownLatch finish = new CountDownLatch(1);
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < BucketTable.STATEMENTS_AT_ONCE; i++) {
                requests.submit(() -> table.run(jdbc -> {
                    running.countDown();
                    awaitQuietly(finish);
                    return 1;
                }));
            }
            running.await();

            assertThat(table.run(jdbc -> 2)).isEmpty();
            assertThat(meters.counter("polystore.gateway.rate.unchecked").count()).isEqualTo(1);
            finish.countDown();
        }
        assertThat(table.run(jdbc -> 3)).contains(3);
        assertThat(meters.counter("polystore.gateway.rate.unchecked").count()).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
