package io.polystore.surrealdb.migration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MigrationTest {

    @Test
    void readsVersionAndDescriptionFromTheFileName() {
        Migration migration = Migration.fromFile("V12__product_search_index.surql", "DEFINE TABLE a;", "db/V12");

        assertThat(migration.version()).isEqualTo(12);
        assertThat(migration.description()).isEqualTo("product search index");
        assertThat(migration).hasToString("V12 (product search index)");
    }

    @Test
    void refusesOtherFileNames() {
        for (String name : new String[]{"V1_missing_underscore.surql", "1__no_prefix.surql", "V1__x.sql", "V0__zero.surql"}) {
            assertThatThrownBy(() -> Migration.fromFile(name, "", "db/" + name))
                    .as(name)
                    .isInstanceOfAny(SchemaMigrationException.class, IllegalArgumentException.class)
                    .hasMessageContaining("db/" + name);
        }
    }

    @Test
    void checksumIgnoresLineEndingsButNotContent() {
        Migration unix = Migration.fromFile("V1__a.surql", "DEFINE TABLE a;\nDEFINE TABLE b;\n", "unix");
        Migration windows = Migration.fromFile("V1__a.surql", "DEFINE TABLE a;\r\nDEFINE TABLE b;\r\n", "windows");
        Migration edited = Migration.fromFile("V1__a.surql", "DEFINE TABLE a;\nDEFINE TABLE c;\n", "edited");

        assertThat(unix.checksum()).hasSize(64).isEqualTo(windows.checksum()).isNotEqualTo(edited.checksum());
    }
}
