package io.polystore.audit;

import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import io.polystore.testkit.spring.UseTestTokens;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The one set-up every integration test of the service shares, so that they all run in one cached Spring context:
 * the whole service on a random port, its own PostgreSQL database, a real Kafka broker, test tokens and test keys.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@UsePostgres(database = "audit")
@UseKafka
@UseTestTokens
@ActiveProfiles("test")
public @interface AuditServiceTest {
}
