package io.polystore.surrealdb.migration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.TestDatabases;
import io.polystore.surrealdb.http.HttpRpcSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Migrations against the real SurrealDB engine. */
class SchemaMigratorIT {

    private static final Migration V1 = migration(1, "products", """
            DEFINE TABLE product SCHEMAFULL;
            DEFINE FIELD sku ON product TYPE string;
            DEFINE INDEX product_sku ON product FIELDS sku UNIQUE;
            """);
    private static final Migration V2 = migration(2, "product name", """
            DEFINE FIELD name ON product TYPE string DEFAULT 'unnamed';
            """);

    private HttpRpcSettings settings;
    private SurrealClient client;
    private SchemaMigrator migrator;

    @BeforeEach
    void connect() {
        settings = TestDatabases.freshSettings();
        client = TestDatabases.freshClient(settings, new SimpleMeterRegistry());
        migrator = new SchemaMigrator(client, settings.namespace(), settings.database(), Map.of("suffix", "outbox"));
    }

    @AfterEach
    void close() {
        client.close();
    }

    @Test
    void appliesPendingMigrationsInVersionOrderAndRecordsThem() {
        List<Migration> applied = migrator.migrate(List.of(V2, V1));

        assertThat(applied).containsExactly(V1, V2);
        assertThat(migrator.applied().values())
                .extracting(AppliedMigration::version, AppliedMigration::checksum)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, V1.checksum()),
                        org.assertj.core.groups.Tuple.tuple(2L, V2.checksum()));
        assertThat(client.query("CREATE product SET sku = 'a' RETURN VALUE name").result(0)).isEqualTo(List.of("unnamed"));
    }

    @Test
    void appliesEachMigrationOnce() {
        migrator.migrate(List.of(V1));

        assertThat(migrator.migrate(List.of(V1, V2))).containsExactly(V2);
        assertThat(migrator.migrate(List.of(V1, V2))).isEmpty();
        assertThat(migrator.applied()).hasSize(2);
    }

    @Test
    void rollsBackAFailingMigrationAndNamesItsStatement() {
        Migration broken = migration(2, "broken", """
                DEFINE TABLE half_done SCHEMAFULL;
                THROW 'deliberately broken';
                DEFINE TABLE never SCHEMAFULL;
                """);
        migrator.migrate(List.of(V1));

        assertThatThrownBy(() -> migrator.migrate(List.of(V1, broken)))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("V2__broken.surql failed and was rolled back")
                .hasMessageContaining("THROW 'deliberately broken'");
        assertThat(migrator.applied()).containsOnlyKeys(1L);
        assertThat(client.query("INFO FOR DB").firstRow(0).orElseThrow().get("tables").toString())
                .doesNotContain("half_done");
    }

    @Test
    void refusesAnAppliedMigrationThatWasEdited() {
        migrator.migrate(List.of(V1));
        Migration edited = migration(1, "products", V1.script() + "DEFINE FIELD extra ON product TYPE string;\n");

        assertThatThrownBy(() -> migrator.migrate(List.of(edited)))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("was changed after it was applied");
    }

    @Test
    void refusesAnAppliedMigrationMissingFromTheBuildButIgnoresNewerOnes() {
        migrator.migrate(List.of(V1, V2));

        assertThat(migrator.migrate(List.of(V1))).as("V2 is newer than this build").isEmpty();
        assertThatThrownBy(() -> migrator.migrate(List.of(V2)))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("V1 (products) is applied")
                .hasMessageContaining("missing from this build");
    }

    @Test
    void refusesAMigrationOlderThanTheNewestApplied() {
        Migration v3 = migration(3, "later", "DEFINE TABLE later;");
        migrator.migrate(List.of(V1, v3));

        assertThatThrownBy(() -> migrator.migrate(List.of(V1, V2, v3)))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("V2__product_name.surql is older than V3");
    }

    @Test
    void refusesTransactionStatementsAndDuplicateVersions() {
        assertThatThrownBy(() -> migrator.migrate(List.of(migration(1, "tx", "BEGIN;\nDEFINE TABLE a;\nCOMMIT;"))))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("BEGIN, COMMIT or CANCEL");
        assertThatThrownBy(() -> migrator.migrate(List.of(V1, migration(1, "again", "DEFINE TABLE b;"))))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("same version 1");
    }

    @Test
    void replacesPlaceholdersAndMayDefineAnotherDatabase() {
        Migration outbox = migration(1, "outbox", """
                DEFINE DATABASE IF NOT EXISTS ${database}_${suffix};
                USE DB ${database}_${suffix};
                DEFINE TABLE outbox SCHEMALESS CHANGEFEED 1d;
                """);

        migrator.migrate(List.of(outbox));

        assertThat(migrator.applied()).containsOnlyKeys(1L);
        assertThat(client.query("USE DB " + settings.database() + "_outbox; INFO FOR DB").rows(1).getFirst()
                .get("tables").toString()).contains("outbox");
        assertThatThrownBy(() -> migrator.migrate(List.of(outbox, migration(2, "unknown", "USE DB ${nope};"))))
                .isInstanceOf(SchemaMigrationException.class)
                .hasMessageContaining("unknown placeholder ${nope}");
    }

    @Test
    void concurrentMigratorsApplyEachMigrationOnce() throws Exception {
        List<SchemaMigrator> migrators = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            migrators.add(new SchemaMigrator(client, settings.namespace(), settings.database(), Map.of()));
        }
        List<Migration> all = List.of(V1, V2);
        try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
            List<Future<List<Migration>>> results = new ArrayList<>();
            for (SchemaMigrator each : migrators) {
                results.add(threads.submit(() -> each.migrate(all)));
            }
            int appliedInTotal = 0;
            for (Future<List<Migration>> result : results) {
                appliedInTotal += result.get().size();
            }
            assertThat(appliedInTotal).isEqualTo(2);
        }
        assertThat(migrator.applied()).containsOnlyKeys(1L, 2L);
    }

    /** Instances starting together define the same namespace and database at once: each gets them, none fails. */
    @Test
    void concurrentInstancesDefineTheNamespaceAndDatabase() throws Exception {
        String namespace = "starting_" + UUID.randomUUID().toString().replace("-", "");
        try (ExecutorService threads = Executors.newFixedThreadPool(8)) {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SchemaMigrator instance = new SchemaMigrator(client, namespace, "catalog", Map.of());
                started.add(threads.submit(instance::defineNamespaceAndDatabase));
            }
            for (Future<?> each : started) {
                each.get();
            }
        }
        assertThat(client.queryWithoutDatabase("USE NS `" + namespace + "`; INFO FOR NS;", Map.of()).result(1))
                .asString().contains("catalog");
    }

    private static Migration migration(long version, String description, String script) {
        return Migration.fromFile("V" + version + "__" + description.replace(' ', '_') + ".surql", script,
                "db/surrealdb/migration/V" + version + "__" + description.replace(' ', '_') + ".surql");
    }
}
