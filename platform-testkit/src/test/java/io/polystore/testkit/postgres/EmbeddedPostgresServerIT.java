package io.polystore.testkit.postgres;

import io.polystore.testkit.SharedServers;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedPostgresServerIT {

    private final PostgresServer postgres = SharedServers.postgres();

    @Test
    void isARealPostgres17ReadyForLogicalDecoding() throws SQLException {
        try (Connection connection = connect("postgres")) {
            assertThat(single(connection, "SELECT version()")).startsWith("PostgreSQL 17.");
            assertThat(single(connection, "SHOW wal_level")).isEqualTo("logical");
            assertThat(single(connection, "SHOW synchronous_commit")).isEqualTo("on");
            assertThat(single(connection, "SHOW fsync")).isEqualTo("on");
        }
    }

    @Test
    void createsADatabasePerServiceOnce() throws SQLException {
        postgres.createDatabaseIfMissing("orders_it");
        postgres.createDatabaseIfMissing("orders_it");
        try (Connection connection = connect("orders_it")) {
            assertThat(single(connection, "SELECT current_database()")).isEqualTo("orders_it");
        }
    }

    @Test
    void decodesCommittedChangesThroughALogicalReplicationSlot() throws SQLException {
        postgres.createDatabaseIfMissing("cdc_it");
        try (Connection connection = connect("cdc_it")) {
            connection.createStatement().execute("CREATE TABLE item (id int PRIMARY KEY, name text)");
            connection.createStatement().execute("SELECT pg_create_logical_replication_slot('it_slot', 'test_decoding')");
            try {
                connection.createStatement().execute("INSERT INTO item VALUES (1, 'first')");
                ResultSet changes = connection.createStatement()
                        .executeQuery("SELECT data FROM pg_logical_slot_get_changes('it_slot', NULL, NULL)");
                StringBuilder decoded = new StringBuilder();
                while (changes.next()) {
                    decoded.append(changes.getString(1)).append('\n');
                }
                assertThat(decoded).contains("table public.item: INSERT: id[integer]:1 name[text]:'first'");
            } finally {
                connection.createStatement().execute("SELECT pg_drop_replication_slot('it_slot')");
            }
        }
    }

    private Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), postgres.username(), postgres.password());
    }

    private static String single(Connection connection, String sql) throws SQLException {
        ResultSet result = connection.createStatement().executeQuery(sql);
        assertThat(result.next()).isTrue();
        return result.getString(1);
    }
}
