package io.polystore.sync.support;

import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.surrealdb.migration.Migration;
import io.polystore.surrealdb.migration.SchemaMigrator;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;
import io.polystore.testkit.postgres.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.support.TestPropertySourceUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The stores sync-service reads, prepared by their owners' own migrations, read from the sibling modules' sources:
 * order-service's database (orders, lines, sagas, the {@code outbox_event} table) and catalog-service's databases
 * (reservations and the rest of the catalog; the change-fed {@code outbox} in its own database). Points the relays
 * and the reconciliation at them.
 */
public final class SourceStores implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    public static final String ORDERS_DATABASE = "orders";
    public static final String SURREAL_NAMESPACE = "polystore";
    public static final String SURREAL_CATALOG_DATABASE = "catalog";
    public static final String SURREAL_OUTBOX_DATABASE = "catalog_outbox";

    private static final Path ORDER_MIGRATIONS = Path.of("../order-service/src/main/resources/db/migration");
    private static final Path CATALOG_MIGRATIONS = Path.of("../catalog-service/src/main/resources/db/surrealdb/migration");

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        PostgresServer postgres = SharedServers.postgres();
        postgres.createDatabaseIfMissing(ORDERS_DATABASE);
        Flyway.configure()
                .dataSource(postgres.jdbcUrl(ORDERS_DATABASE), postgres.username(), postgres.password())
                .locations("filesystem:" + existing(ORDER_MIGRATIONS))
                .load()
                .migrate();
        try (SurrealClient catalog = surreal(SURREAL_CATALOG_DATABASE)) {
            SchemaMigrator migrator = new SchemaMigrator(catalog, SURREAL_NAMESPACE, SURREAL_CATALOG_DATABASE,
                    Map.of("outbox-database", SURREAL_OUTBOX_DATABASE));
            migrator.defineNamespaceAndDatabase();
            migrator.migrate(catalogMigrations());
        }
        TestPropertySourceUtils.addInlinedPropertiesToEnvironment(context,
                "polystore.sync.postgres.host=" + postgres.host(),
                "polystore.sync.postgres.port=" + postgres.port(),
                "polystore.sync.postgres.database=" + ORDERS_DATABASE,
                "polystore.sync.postgres.username=" + postgres.username(),
                "polystore.sync.postgres.password=" + postgres.password(),
                "polystore.sync.reconciliation.catalog-database=" + SURREAL_CATALOG_DATABASE);
    }

    /** order-service's database. */
    public static JdbcClient orders() {
        PostgresServer postgres = SharedServers.postgres();
        return JdbcClient.create(new DriverManagerDataSource(postgres.jdbcUrl(ORDERS_DATABASE), postgres.username(), postgres.password()));
    }

    /** A client on catalog-service's outbox database; close it after use. */
    public static SurrealClient surrealOutbox() {
        return surreal(SURREAL_OUTBOX_DATABASE);
    }

    /** A client on catalog-service's database; close it after use. */
    public static SurrealClient surrealCatalog() {
        return surreal(SURREAL_CATALOG_DATABASE);
    }

    private static SurrealClient surreal(String database) {
        SurrealDbEndpoint endpoint = SharedServers.surrealDb();
        return new SurrealClient(new HttpRpcTransport(HttpRpcSettings.of(URI.create(endpoint.url()), SURREAL_NAMESPACE,
                database, endpoint.username(), endpoint.password()), new SimpleMeterRegistry()));
    }

    private static List<Migration> catalogMigrations() {
        try (Stream<Path> files = Files.list(existing(CATALOG_MIGRATIONS))) {
            return files.filter(file -> file.toString().endsWith(".surql")).sorted().map(file -> {
                try {
                    return Migration.fromFile(file.getFileName().toString(), Files.readString(file), file.toString());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The tests run in the module's directory (Maven's default), where the sibling modules are at {@code ..}. */
    private static Path existing(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("Cannot find " + directory.toAbsolutePath().normalize()
                    + ": run the tests from sync-service's directory");
        }
        return directory.toAbsolutePath().normalize();
    }
}
