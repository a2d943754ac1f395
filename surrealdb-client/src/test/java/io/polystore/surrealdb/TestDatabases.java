package io.polystore.surrealdb;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.surrealdb.http.HttpRpcSettings;
import io.polystore.surrealdb.http.HttpRpcTransport;
import io.polystore.surrealdb.migration.SchemaMigrator;
import io.polystore.testkit.SharedServers;
import io.polystore.testkit.SurrealDbEndpoint;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Clients of the shared test engine, each on a database of its own so that tests do not see each other's data. */
public final class TestDatabases {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    private TestDatabases() {
    }

    /** Settings for a fresh, not yet defined database of the shared engine, signed in as root. */
    public static HttpRpcSettings freshSettings() {
        SurrealDbEndpoint endpoint = SharedServers.surrealDb();
        return HttpRpcSettings.of(URI.create(endpoint.url()), "client_it", "db" + COUNTER.incrementAndGet() + "_"
                + ProcessHandle.current().pid(), endpoint.username(), endpoint.password());
    }

    /** A client of a fresh database, defined and ready. */
    public static SurrealClient freshClient(HttpRpcSettings settings, MeterRegistry meters) {
        SurrealClient client = new SurrealClient(new HttpRpcTransport(settings, meters));
        new SchemaMigrator(client, settings.namespace(), settings.database(), Map.of()).defineNamespaceAndDatabase();
        return client;
    }
}
