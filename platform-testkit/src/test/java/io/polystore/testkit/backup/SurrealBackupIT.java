package io.polystore.testkit.backup;

import io.polystore.testkit.backup.internal.RawCbor;
import io.polystore.testkit.backup.internal.SurrealRpc;
import io.polystore.testkit.surrealdb.SurrealDbServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SurrealBackupIT {

    private static final String SCHEMA = """
            DEFINE TABLE item SCHEMAFULL CHANGEFEED 1d;
            DEFINE FIELD price ON item TYPE decimal;
            DEFINE FIELD at ON item TYPE datetime;
            DEFINE TABLE link TYPE RELATION IN item OUT item SCHEMAFULL CHANGEFEED 1d;
            DEFINE FIELD weight ON link TYPE int;
            DEFINE INDEX link_pair ON link FIELDS in, out UNIQUE;
            """;

    @TempDir
    Path directory;

    @Test
    void anExportPlusTheArchivedChangesRestoresEveryRecordAsItWasAtThePoint() throws Exception {
        BackupLayout layout = new BackupLayout(directory);
        Instant point;
        try (SurrealDbServer server = SurrealDbServer.start(SurrealDbServer.Options.temporary())) {
            SurrealRpc rpc = new SurrealRpc(server.url(), "root", "root");
            rpc.query(null, null, "DEFINE NAMESPACE shop; USE NS shop; DEFINE DATABASE catalog", Map.of());
            rpc.query("shop", "catalog", SCHEMA + "CREATE item:1 SET price = 1.10dec, at = d'2026-01-01T00:00:00Z';"
                    + "CREATE item:2 SET price = 2.20dec, at = time::now();", Map.of());
            SurrealBackup backup = backup(layout, server);
            backup.archiveChanges();
            backup.export();
            rpc.query("shop", "catalog", "UPDATE item:1 SET price = 1.15dec; RELATE item:1->link->item:2 SET weight = 3;"
                    + "CREATE item:3 SET price = 3.30dec, at = time::now();", Map.of());
            Thread.sleep(20);
            point = Instant.now();
            Thread.sleep(20);
            rpc.query("shop", "catalog", "DELETE item:2; UPDATE item:1 SET price = 9.99dec;", Map.of());
            backup.archiveChanges();
        }

        assertThat(restoredState(layout, point)).containsExactly("item:1 1.15", "item:2 2.2", "item:3 3.3", "link 3 item:1 item:2");
        assertThat(restoredState(layout, null)).containsExactly("item:1 9.99", "item:3 3.3");
    }

    private List<String> restoredState(BackupLayout layout, Instant target) {
        try (SurrealDbServer server = SurrealDbServer.start(SurrealDbServer.Options.temporary())) {
            SurrealBackup.Restored restored = backup(layout, server).restore(target);
            assertThat(restored.changesReplayed()).isPositive();
            SurrealRpc rpc = new SurrealRpc(server.url(), "root", "root");
            RawCbor.Item rows = rpc.query("shop", "catalog", """
                    RETURN array::concat(
                        (SELECT id, price FROM item ORDER BY id).map(|$r| <string> $r.id + ' ' + <string> $r.price),
                        (SELECT weight, in, out FROM link).map(|$r| 'link ' + <string> $r.weight + ' ' + <string> $r.in + ' ' + <string> $r.out));
                    """, Map.of()).getFirst();
            return rows.elements().stream().map(RawCbor.Item::text).toList();
        }
    }

    private static SurrealBackup backup(BackupLayout layout, SurrealDbServer server) {
        return new SurrealBackup(layout, server.url(), "root", "root", "shop", List.of("catalog"));
    }
}
