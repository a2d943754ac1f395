package io.polystore.order.support;

import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The order service on a real PostgreSQL database and Kafka broker, with one configuration for every integration
 * test, so that they share one started application.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "polystore.personal-data.master-key=" + TestMasterKey.BASE64,
        "polystore.orders.customer-digest-key=" + TestCustomerDigestKey.BASE64,
        "polystore.orders.saga.deadline-poll-interval=100ms",
        "polystore.orders.max-lines=5",
        // Several batches for a few orders (OrderHistoryBackfillIT).
        "polystore.orders.history-backfill.batch-size=10",
        // region-1 (the default) with one peer, whose order history it replicates (OrderReplicaIT).
        "polystore.region.peers=region-2"})
@UsePostgres(database = "orders")
@UseKafka
@UseTestTokens
@ContextConfiguration(initializers = AuditServiceStandIn.Initializer.class)
@Import({OrderApi.class, Catalog.class, OrderDatabase.class})
public @interface OrderServiceIntegrationTest {
}
