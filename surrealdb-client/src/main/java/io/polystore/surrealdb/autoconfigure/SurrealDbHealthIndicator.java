package io.polystore.surrealdb.autoconfigure;

import io.polystore.surrealdb.SurrealClient;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** Up when SurrealDB answers a query in the service's namespace and database, signed in. */
public class SurrealDbHealthIndicator extends AbstractHealthIndicator {

    private final SurrealClient client;
    private final SurrealDbProperties properties;

    public SurrealDbHealthIndicator(SurrealClient client, SurrealDbProperties properties) {
        super("SurrealDB health check failed");
        this.client = client;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long started = System.nanoTime();
        client.query("RETURN true").requireSuccess();
        builder.up()
                .withDetail("url", properties.url().toString())
                .withDetail("namespace", properties.namespace())
                .withDetail("database", properties.database())
                .withDetail("latencyMillis", (System.nanoTime() - started) / 1_000_000);
    }
}
