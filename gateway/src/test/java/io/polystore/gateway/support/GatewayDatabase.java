package io.polystore.gateway.support;

import io.polystore.testkit.SharedServers;
import io.polystore.testkit.postgres.PostgresServer;

import java.util.List;

/** The gateway's database on the testkit's PostgreSQL, for gateways a test starts by hand rather than with Spring's test support. */
public final class GatewayDatabase {

    public static final String NAME = "gateway";

    private GatewayDatabase() {
    }

    /** Command-line arguments pointing the gateway at its database (created if missing). */
    public static List<String> arguments() {
        return arguments(NAME);
    }

    /** The same for a database of its own, which no other gateway of the test run reads. */
    public static List<String> arguments(String database) {
        PostgresServer postgres = SharedServers.postgres();
        postgres.createDatabaseIfMissing(database);
        return List.of("--spring.datasource.url=" + postgres.jdbcUrl(database),
                "--spring.datasource.username=" + postgres.username(),
                "--spring.datasource.password=" + postgres.password());
    }
}
