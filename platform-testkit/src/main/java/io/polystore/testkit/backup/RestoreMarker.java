package io.polystore.testkit.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** When the stores were last restored: backups taken before it belong to the history the restore replaced. */
final class RestoreMarker {

    private RestoreMarker() {
    }

    static Optional<Instant> lastRestore(BackupLayout layout) {
        Path file = file(layout);
        try {
            return Files.exists(file) ? Optional.of(Instant.parse(Files.readString(file).strip())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void record(BackupLayout layout, Instant restoredAt) {
        try {
            Files.createDirectories(layout.root());
            SurrealBackup.writeAtomically(file(layout), restoredAt.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path file(BackupLayout layout) {
        return layout.root().resolve("last-restore");
    }
}
