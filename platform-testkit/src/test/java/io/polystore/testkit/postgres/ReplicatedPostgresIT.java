package io.polystore.testkit.postgres;

import io.polystore.testkit.platform.PlatformPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A primary and a hot standby: the primary killed with SIGKILL, the fail-over promotes the standby, clients of the
 * multi-host URL write again, no committed row is lost (synchronous replication), the logical fail-over slot goes on
 * on the new primary with every change after what its reader had consumed, and a new standby is seeded.
 */
class ReplicatedPostgresIT {

    @TempDir
    Path data;

    @Test
    void theStandbyTakesOverWhenThePrimaryIsKilledAndLosesNoCommittedRowNorTheSlotsPosition() throws Exception {
        int port = PlatformPorts.freePort();
        try (ReplicatedPostgres postgres = ReplicatedPostgres.start(data.resolve("a"), port, data.resolve("b"),
                PlatformPorts.freePort(), Map.of())) {
            int firstPrimary = postgres.port();
            postgres.createDatabaseIfMissing("orders");
            String consumed;
            try (Connection connection = connect(postgres)) {
                execute(connection, "CREATE TABLE item (id int PRIMARY KEY)");
                execute(connection, "SELECT pg_create_logical_replication_slot('orders_cdc', 'test_decoding', false, false, true)");
                insert(connection, 1, 10);
                // The standby's copy of the slot is ready once the primary's has moved past where the copy began, as a
                // reader's confirmations move it (the slot synchronisation polls the primary's slots).
                int[] next = {1000};
                await("slot synchronised to the standby").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            insert(connection, next[0], next[0]++);
                            changes(connection);
                            // Any position: the copy trails each new one by a sync cycle, so the position reached
                            // is awaited once the reader stops, below.
                            return synced(postgres.standbyPort(), "0/0");
                        });
                consumed = confirmed(connection);
                insert(connection, 11, 20); // not consumed
            }
            await("standby's slot at the reader's position").atMost(Duration.ofSeconds(60)).until(() ->
                    synced(postgres.standbyPort(), consumed));
            assertThat(postgres.standbyStreams()).isTrue();

            try (PostgresFailover failover = PostgresFailover.watch(postgres, Duration.ofMillis(500), 3, event -> { })) {
                postgres.killPrimary();

                await("promoted").atMost(Duration.ofSeconds(60)).until(() -> !failover.failOvers().isEmpty());
                assertThat(postgres.port()).isNotEqualTo(firstPrimary);
                assertThat(failover.failOvers().getFirst().withoutPrimary()).isLessThan(Duration.ofSeconds(15));
                try (Connection connection = connect(postgres)) {
                    assertThat(single(connection, "SELECT count(*) FROM item WHERE id <= 20")).isEqualTo("20");
                    insert(connection, 21, 25);
                    // From where the reader left off: the rows not consumed before the fail-over, and the new ones.
                    List<String> after = changes(connection);
                    assertThat(after).contains("table public.item: INSERT: id[integer]:11", "table public.item: INSERT: id[integer]:25");
                    assertThat(after).doesNotContain("table public.item: INSERT: id[integer]:1");
                }
                await("a new standby streams").atMost(Duration.ofSeconds(120)).until(postgres::standbyStreams);
                assertThat(postgres.standbyPort()).isEqualTo(firstPrimary);
            }
        }
    }

    private static boolean synced(int standbyPort, String consumed) throws SQLException {
        try (Connection standby = DriverManager.getConnection("jdbc:postgresql://localhost:" + standbyPort + "/orders",
                "postgres", "postgres");
             var slot = standby.prepareStatement("SELECT synced AND NOT temporary AND confirmed_flush_lsn >= ?::pg_lsn"
                     + " FROM pg_replication_slots WHERE slot_name = 'orders_cdc'")) {
            slot.setString(1, consumed);
            ResultSet result = slot.executeQuery();
            return result.next() && result.getBoolean(1);
        }
    }

    private static String confirmed(Connection connection) throws SQLException {
        return single(connection, "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'orders_cdc'");
    }

    private static Connection connect(ReplicatedPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl("orders"), postgres.username(), postgres.password());
    }

    private static void insert(Connection connection, int from, int to) throws SQLException {
        for (int id = from; id <= to; id++) {
            execute(connection, "INSERT INTO item VALUES (" + id + ")");
        }
    }

    /** The slot's inserts since its position, which moves past them. */
    private static List<String> changes(Connection connection) throws SQLException {
        List<String> inserts = new ArrayList<>();
        try (ResultSet changes = connection.createStatement()
                .executeQuery("SELECT data FROM pg_logical_slot_get_changes('orders_cdc', NULL, NULL)")) {
            while (changes.next()) {
                if (changes.getString(1).contains("INSERT")) {
                    inserts.add(changes.getString(1));
                }
            }
        }
        return inserts;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        connection.createStatement().execute(sql);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (ResultSet result = connection.createStatement().executeQuery(sql)) {
            assertThat(result.next()).isTrue();
            return result.getString(1);
        }
    }
}
