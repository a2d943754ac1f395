package io.polystore.gateway.support;

import io.polystore.testkit.spring.UseKafka;
import io.polystore.testkit.spring.UsePostgres;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The gateway as ./polystore runs it (the {@code local} profile: demo users, Swagger UI and demo clients), with
 * the test signing keys (one active, one retired), echo services behind its routes and a real Kafka broker for the
 * access audit. Every class so annotated shares one running gateway, in region {@value #REGION} (not the default, so
 * that a test sees the configured region rather than a constant).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "polystore.region.name=" + GatewayIntegrationTest.REGION,
        "polystore.identity.signing-keys[0].id=test-key-active",
        "polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
        "polystore.identity.signing-keys[1].id=test-key-previous",
        "polystore.identity.signing-keys[1].location=classpath:keys/previous.jwk.json",
        "polystore.identity.demo-tokens-directory=target/demo-tokens",
        // Many tests call from one address and client; the limits themselves are tested with their own gateway.
        "polystore.gateway.limits.per-address.requests=100000",
        "polystore.gateway.limits.per-client.requests=100000",
        "polystore.gateway.limits.registrations.requests=100000"})
@ActiveProfiles("local")
@UsePostgres(database = GatewayDatabase.NAME)
@UseKafka
@UseEchoUpstreams
public @interface GatewayIntegrationTest {

    String REGION = "eu-west";
}
