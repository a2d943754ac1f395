package io.polystore.sync.support;

import io.polystore.servicedefaults.outbox.OutboxTable;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;
import io.polystore.testkit.postgres.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.net.URI;
import java.util.Map;

/**
 * The stores sync-service reads, prepared as their owners prepare them: order-service's database with its
 * {@code outbox_event} table (order-service's migration), and catalog-service's outbox database with its change-fed
 * {@code outbox} table (catalog-service's migration). Points the relays at them.
 */
public final class SourceStores implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String ORDERS_DATABASE = "orders";
    public static final String SURREAL_NAMESPACE = "polystore";
    public static final String SURREAL_OUTBOX_DATABASE = "catalog_outbox";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PostgresServer postgres = SharedServers.postgres();
        postgres.createDatabaseIfMissing(ORDERS_DATABASE);
        orders().sql(OutboxTable.DEFINITION).update();
        try (SurrealClient surreal = surrealOutbox()) {
            defineSurrealOutbox(surreal);
        }
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                "polystore.sync.postgres.host=" + postgres.host(),
                "polystore.sync.postgres.port=" + postgres.port(),
                "polystore.sync.postgres.database=" + ORDERS_DATABASE,
                "polystore.sync.postgres.username=" + postgres.username(),
                "polystore.sync.postgres.password=" + postgres.password());
    }

    /** order-service's database. */
    public static JdbcClient orders() {
        PostgresServer postgres = SharedServers.postgres();
        return JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(ORDERS_DATABASE), postgres.username(), postgres.password()));
    }

    /** Catalog-service's outbox database and its change-fed table, as catalog-service's migration defines them. */
    public static void defineSurrealOutbox(SurrealClient surreal) {
        surreal.queryWithoutDatabase("""
                DEFINE NAMESPACE IF NOT EXISTS polystore;
                USE NS polystore;
                DEFINE DATABASE IF NOT EXISTS catalog_outbox;
                USE DB catalog_outbox;
                DEFINE TABLE IF NOT EXISTS outbox SCHEMAFULL CHANGEFEED 7d;
                DEFINE FIELD IF NOT EXISTS type ON outbox TYPE string;
                DEFINE FIELD IF NOT EXISTS schema_version ON outbox TYPE int;
                DEFINE FIELD IF NOT EXISTS topic ON outbox TYPE string;
                DEFINE FIELD IF NOT EXISTS key ON outbox TYPE string;
                DEFINE FIELD IF NOT EXISTS occurred_at ON outbox TYPE datetime;
                DEFINE FIELD IF NOT EXISTS payload ON outbox TYPE string;
                """, Map.of());
    }

    /** A client on catalog-service's outbox database; close it after use. */
    public static SurrealClient surrealOutbox() {
        return surrealOutbox(SharedServers.surrealDb());
    }

    /** A client on catalog-service's outbox database at {@code endpoint}; close it after use. */
    public static SurrealClient surrealOutbox(SurrealDbEndpoint endpoint) {
        return new SurrealClient(new HttpRpcTransport(HttpRpcSettings.of(URI.create(endpoint.url()), SURREAL_NAMESPACE,
                SURREAL_OUTBOX_DATABASE, endpoint.username(), endpoint.password()), new SimpleMeterRegistry()));
    }
}
