package io.polystore.testkit.postgres;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** The official {@code postgres:17} image, for machines with a Docker engine. */
public final class ContainerPostgresServer implements PostgresServer {

    private final PostgreSQLContainer container;

    private ContainerPostgresServer(PostgreSQLContainer container) {
        this.container = container;
    }

    public static ContainerPostgresServer start() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:17")
                .withUsername("postgres")
                .withPassword("postgres")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "synchronous_commit=on",
                        "-c", "max_replication_slots=10", "-c", "max_wal_senders=10", "-c", "max_connections=200");
        container.start();
        return new ContainerPostgresServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
