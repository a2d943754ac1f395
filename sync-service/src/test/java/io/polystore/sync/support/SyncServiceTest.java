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
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "polystore.sync.reconciliation.scheduled=false")
@UsePostgres(database = "sync")
@UseKafka
@UseSurrealDb(namespace = SourceStores.SURREAL_NAMESPACE, database = SourceStores.SURREAL_OUTBOX_DATABASE)
@UseTestTokens
@ContextConfiguration(initializers = SourceStores.class)
public @interface SyncServiceTest {
}
