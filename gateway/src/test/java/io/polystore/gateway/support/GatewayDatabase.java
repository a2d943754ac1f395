package io.polystore.gateway.support;

import io.polystore.testkit.SharedServers;
import io.polystore.testkit.postgres.PostgresServer;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

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

    /**
     * A database of its own (created if missing) with the gateway's schema, for tests of its parts without a gateway;
     * the accounts there before regions are homed in {@code region}.
     */
    public static DataSource migrated(String database, String region) {
        PostgresServer postgres = SharedServers.postgres();
        postgres.createDatabaseIfMissing(database);
        DataSource dataSource = new DriverManagerDataSource(postgres.jdbcUrl(database), postgres.username(), postgres.password());
        Flyway.configure().dataSource(dataSource).placeholders(Map.of("region", region)).load().migrate();
        return dataSource;
    }
}
