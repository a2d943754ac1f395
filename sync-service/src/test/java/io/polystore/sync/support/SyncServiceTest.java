package io.polystore.sync.support;

import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseSurrealDb;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The one application context every sync-service integration test shares, with both source stores prepared. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// Tests start the scheduled reconciliation themselves, so that it never runs in the middle of another test.
// The federation's time limit is 60 s, not 10: FederationIT's join of 10,000 orders with 1,000 products took 8 to 15 s
// on two busy cores (its point is the answer at that size); the time limit's own test asks for 500 ms.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"polystore.sync.reconciliation.scheduled=false", "polystore.sync.federation.time-limit=60s"})
@UsePostgres(database = "sync")
@UseKafka
@UseSurrealDb(namespace = SourceStores.SURREAL_NAMESPACE, database = SourceStores.SURREAL_OUTBOX_DATABASE)
@UseTestTokens
@ContextConfiguration(initializers = SourceStores.class)
public @interface SyncServiceTest {
}
