package io.polystore.sync.federation.internal;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.sync.SyncProperties;
import io.polystore.sync.federation.FederationProperties;
import io.polystore.sync.federation.FederationUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The federation's connections: a pool on order-service's database as the read-only role (every statement bounded
 * by {@code statement_timeout}, so PostgreSQL cancels work past the time limit even if the client is gone), a
 * SurrealDB client as the viewer user, and a one-connection pool as the relay's user for the freshness. The users
 * are provisioned, and the engine built, on first use (and tried at start-up), so that sync-service starts and
 * relays while a store is down.
 */
public final class FederationStores implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FederationStores.class);

    private final SyncProperties.Postgres owner;
    private final HttpRpcSettings surreal;
    private final FederationProperties properties;
    private final MeterRegistry registry;
    private final HikariDataSource readOnly;
    private final HikariDataSource relayUser;
    private SurrealClient viewer;
    private FederationEngine engine;

    public FederationStores(SyncProperties.Postgres owner, HttpRpcSettings surreal, FederationProperties properties,
                            MeterRegistry registry) {
        this.owner = owner;
        this.surreal = surreal;
        this.properties = properties;
        this.registry = registry;
        this.readOnly = pool("federation-orders", properties.postgres().role(), properties.postgres().password(),
                properties.poolSize());
        readOnly.setReadOnly(true);
        readOnly.setConnectionInitSql("SET statement_timeout = " + properties.timeLimit().toMillis());
        this.relayUser = pool("federation-freshness", owner.username(), owner.password(), 1);
    }

    /** The engine, provisioning the read-only users first if that has not succeeded yet. */
    public synchronized FederationEngine engine() {
        if (engine == null) {
            try {
                provision();
                viewer = client(surreal.withCredentials(properties.surrealdb().username(), properties.surrealdb().password())
                        .withUserOn(surreal.namespace(), properties.surrealdb().catalogDatabase()), properties.timeLimit().plusSeconds(2));
                engine = new FederationEngine(readOnly, new CatalogStore(viewer, properties.timeLimit()));
            } catch (SQLException | RuntimeException e) {
                if (viewer != null) {
                    viewer.close();
                    viewer = null;
                }
                throw new FederationUnavailableException("The federation cannot reach its stores: " + e.getMessage(), e);
            }
        }
        return engine;
    }

    /** Order-service's database as the relay's user: its replication slot and outbox, for the freshness. */
    public DataSource relayUser() {
        return relayUser;
    }

    /** Tries to get ready at start-up; a failure is only logged, the first query tries again. */
    public void prepare() {
        try {
            engine();
        } catch (FederationUnavailableException e) {
            log.warn("Federated queries are not ready yet; the first query tries again. {}", e.getMessage());
        }
    }

    private void provision() throws SQLException {
        if (properties.postgres().provision()) {
            try (Connection connection = DriverManager.getConnection(owner.jdbcUrl(), owner.username(), owner.password())) {
                ReadOnlyAccess.provisionPostgres(connection, owner.database(), properties.postgres());
            }
        }
        if (properties.surrealdb().provision()) {
            try (SurrealClient root = client(surreal, surreal.requestTimeout())) {
                ReadOnlyAccess.provisionSurrealDb(root, properties.surrealdb());
            }
        }
    }

    /** A client on the catalog database as {@code user}. */
    private SurrealClient client(HttpRpcSettings user, Duration requestTimeout) {
        HttpRpcSettings settings = user.withDatabase(properties.surrealdb().catalogDatabase())
                .withTimeouts(surreal.connectTimeout(), requestTimeout)
                .withMaxConcurrentRequests(Math.max(4, properties.poolSize() * 2));
        return new SurrealClient(new HttpRpcTransport(settings, registry));
    }

    private HikariDataSource pool(String name, String username, String password, int size) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(owner.jdbcUrl());
        pool.setUsername(username);
        pool.setPassword(password);
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(0);
        pool.setConnectionTimeout(5_000);
        pool.setPoolName(name);
        return pool;
    }



    @Override
    public synchronized void close() {
        if (engine != null) {
            engine.close();
        }
        if (viewer != null) {
            viewer.close();
        }
        readOnly.close();
        relayUser.close();
    }
}
