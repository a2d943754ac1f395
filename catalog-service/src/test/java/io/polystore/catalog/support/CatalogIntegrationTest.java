package io.polystore.catalog.support;

import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UseSurrealDb;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The running catalog-service on the real SurrealDB engine and Kafka broker. Every integration test uses this same
 * set-up, so they all share one application context. It is region-1 (the default) with one peer, region-2, so that
 * stock can be transferred there and received from there ({@code StockTransfersIT}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"polystore.region.peers=region-2",
        // The tests drive the rebalancer themselves (StockRebalancerIT), so that it asks for no other test's products.
        "polystore.catalog.rebalancing.interval=1h"})
@UseKafka
@UseSurrealDb(database = "catalog")
@UseTestTokens
public @interface CatalogIntegrationTest {
}
