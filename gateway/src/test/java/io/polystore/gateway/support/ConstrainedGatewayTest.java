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
 * A gateway with tight limits, for the tests of limits and failures: low rate limits (two sign-ups per address an
 * hour), a short read timeout, quick
 * circuit breakers, the sync service unreachable, and one origin allowed cross-origin.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "polystore.identity.signing-keys[0].id=test-key-active",
        "polystore.identity.signing-keys[0].location=classpath:keys/active.jwk.json",
        "polystore.identity.demo-tokens-directory=target/demo-tokens",
        "polystore.gateway.limits.per-user.requests=5",
        "polystore.gateway.limits.per-user.per=60s",
        "polystore.gateway.limits.per-client.requests=8",
        "polystore.gateway.limits.per-client.per=60s",
        "polystore.gateway.limits.per-address.requests=5",
        "polystore.gateway.limits.per-address.per=60s",
        "polystore.gateway.limits.registrations.requests=2",
        // As behind a reverse proxy: a test may call from an address of its own (X-Forwarded-For).
        "server.forward-headers-strategy=native",
        "polystore.gateway.limits.cors.allowed-origins=https://shop.example",
        "polystore.gateway.routing.retry-backoff=10ms",
        "spring.http.clients.read-timeout=500ms",
        // Port 9 (discard) has no listener here: the sync service is down.
        "polystore.services.sync=http://127.0.0.1:9",
        "resilience4j.circuitbreaker.instances.audit.sliding-window-size=3",
        "resilience4j.circuitbreaker.instances.audit.minimum-number-of-calls=3",
        "resilience4j.circuitbreaker.instances.audit.wait-duration-in-open-state=60s",
        "resilience4j.circuitbreaker.instances.orders.minimum-number-of-calls=1000"})
@ActiveProfiles("local")
@UsePostgres(database = GatewayDatabase.NAME)
@UseKafka
@UseEchoUpstreams(except = "sync")
public @interface ConstrainedGatewayTest {
}
