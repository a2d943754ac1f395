package io.polystore.testkit.backup;

import io.polystore.testkit.backup.internal.RawCbor;
import io.polystore.testkit.backup.internal.SurrealRpc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * SurrealDB's part of the backups: the engine's own exports of the catalog's databases, plus their change feeds
 * archived continuously, so that a restore imports the newest export and replays the archived changes after it up to
 * the point asked for. Each change is a record's whole new state (or its deletion), archived as the engine's CBOR
 * bytes and replayed as they are, so replaying from a little before the export's point converges on the same data.
 */
public final class SurrealBackup {

    /** Replay starts this long before an export began: full-state changes make the overlap harmless. */
    private static final Duration REPLAY_OVERLAP = Duration.ofSeconds(5);
    private static final int PAGE = 1000;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final SurrealRpc rpc;
    private final String namespace;
    private final List<String> databases;
    private final Path exports;
    private final Path changes;

    /**
     * @param databases the databases backed up, each with its change-fed tables (catalog-service's catalog and outbox)
     */
    public SurrealBackup(BackupLayout layout, String url, String username, String password, String namespace,
                         List<String> databases) {
        this.rpc = new SurrealRpc(url, username, password);
        this.namespace = namespace;
        this.databases = List.copyOf(databases);
        this.exports = layout.surrealExports();
        this.changes = layout.surrealChanges();
    }

    /** An export: its directory (one {@code <database>.surql} per database) and when it began. */
    public record Export(Path directory, Instant startedAt) {
    }

    /** What a restore did. */
    public record Restored(Export export, int changesReplayed, Instant lastChangeAt) {
    }

    /** Exports every database that exists now; returns when the export is complete on disk. */
    public Export export() {
        Instant startedAt = Instant.now();
        Path partial = exports.resolve(STAMP.format(startedAt) + ".partial");
        try {
            Files.createDirectories(partial);
            for (String database : existingDatabases()) {
                Files.write(partial.resolve(database + ".surql"), rpc.export(namespace, database));
            }
            Files.writeString(partial.resolve("started-at"), startedAt.toString());
            Export export = new Export(exports.resolve(STAMP.format(startedAt)), startedAt);
            Files.move(partial, export.directory(), StandardCopyOption.ATOMIC_MOVE);
            return export;
        } catch (IOException e) {
            PostgresBackup.deleteTree(partial);
            throw new UncheckedIOException("The SurrealDB export into " + partial + " failed", e);
        }
    }

    /** Finished exports, oldest first. */
    public List<Export> exports() {
        if (!Files.isDirectory(exports)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(exports)) {
            return entries.filter(path -> Files.isRegularFile(path.resolve("started-at"))).map(path -> {
                try {
                    return new Export(path, Instant.parse(Files.readString(path.resolve("started-at")).strip()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sorted(Comparator.comparing(Export::startedAt)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keeps the newest {@code keep} exports; returns how many were removed. */
    public int prune(int keep) {
        List<Export> all = exports();
        List<Export> removed = all.size() <= keep ? List.of() : all.subList(0, all.size() - keep);
        removed.forEach(export -> PostgresBackup.deleteTree(export.directory()));
        return removed.size();
    }

    /**
     * Appends the changes since the last call to each database's change log (synced to disk), then moves its cursor.
     * A crash between the two appends some changes twice, which replay absorbs.
     *
     * @return how many changes were archived
     */
    public int archiveChanges() {
        int archived = 0;
        try {
            Files.createDirectories(changes);
            for (String database : existingDatabases()) {
                Path cursorFile = changes.resolve(database + ".cursor");
                long since = Files.exists(cursorFile) ? Long.parseLong(Files.readString(cursorFile).strip()) : 0;
                while (true) {
                    RawCbor.Item page = rpc.query(namespace, database,
                            "SHOW CHANGES FOR DATABASE SINCE " + since + " LIMIT " + PAGE, Map.of()).getFirst();
                    List<RawCbor.Item> entries = page.elements();
                    if (entries.isEmpty()) {
                        break;
                    }
                    StringBuilder lines = new StringBuilder();
                    long last = since;
                    for (RawCbor.Item entry : entries) {
                        long versionstamp = entry.get("versionstamp").integer();
                        for (RawCbor.Item change : entry.get("changes").elements()) {
                            Map<String, RawCbor.Item> kinds = change.entries();
                            if (kinds.containsKey("update")) {
                                lines.append(versionstamp).append(" update ").append(base64(kinds.get("update"))).append('\n');
                                archived++;
                            } else if (kinds.containsKey("delete")) {
                                lines.append(versionstamp).append(" delete ").append(base64(kinds.get("delete").get("id"))).append('\n');
                                archived++;
                            }
                        }
                        last = versionstamp;
                    }
                    appendSynced(changes.resolve(database + ".log"), lines.toString());
                    since = last + 1;
                    writeAtomically(cursorFile, Long.toString(since));
                    if (entries.size() < PAGE) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Archiving SurrealDB's change feeds into " + changes + " failed", e);
        }
        return archived;
    }

    /** The time of the newest archived change, if any. */
    public Optional<Instant> newestArchivedChange() {
        long newest = 0;
        for (String database : databases) {
            Path cursorFile = changes.resolve(database + ".cursor");
            try {
                if (Files.exists(cursorFile)) {
                    newest = Math.max(newest, Long.parseLong(Files.readString(cursorFile).strip()) - 1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return newest <= 0 ? Optional.empty() : Optional.of(timeOf(newest));
    }

    /**
     * Restores into an empty server: the newest export begun by {@code target} (or the newest), then the archived
     * changes from just before it up to {@code target} (or all), each versionstamp's changes in one transaction.
     */
    public Restored restore(Instant target) {
        Export export = exports().stream().filter(candidate -> target == null || !candidate.startedAt().isAfter(target))
                .reduce((older, newer) -> newer)
                .orElseThrow(() -> new IllegalStateException("No SurrealDB export in " + exports
                        + (target == null ? "" : " begun by " + target)));
        long from = versionstampAt(export.startedAt().minus(REPLAY_OVERLAP));
        long to = target == null ? Long.MAX_VALUE : versionstampAt(target.plusMillis(1)) - 1;
        int replayed = 0;
        long lastReplayed = 0;
        try {
            rpc.query(null, null, "DEFINE NAMESPACE IF NOT EXISTS " + identifier(namespace), Map.of());
            for (String database : databases) {
                Path script = export.directory().resolve(database + ".surql");
                if (!Files.exists(script)) {
                    continue;
                }
                rpc.query(namespace, null, "DEFINE DATABASE IF NOT EXISTS " + identifier(database), Map.of());
                rpc.importScript(namespace, database, Files.readAllBytes(script));
                Set<String> relations = relationTables(database);
                Path log = changes.resolve(database + ".log");
                if (!Files.exists(log)) {
                    continue;
                }
                try (BufferedReader reader = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
                    List<String[]> transaction = new ArrayList<>();
                    long current = -1;
                    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                        String[] change = line.split(" ", 3);
                        if (change.length < 3) {
                            continue; // the torn end of a log whose last append was cut off
                        }
                        long versionstamp = Long.parseLong(change[0]);
                        if (versionstamp < from || versionstamp > to) {
                            continue;
                        }
                        if (versionstamp != current && !transaction.isEmpty()) {
                            replayed += replay(database, transaction, relations);
                            transaction.clear();
                        }
                        current = versionstamp;
                        lastReplayed = Math.max(lastReplayed, versionstamp);
                        transaction.add(change);
                    }
                    replayed += replay(database, transaction, relations);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Restoring SurrealDB from " + export.directory() + " failed", e);
        }
        return new Restored(export, replayed, lastReplayed == 0 ? null : timeOf(lastReplayed));
    }

    private int replay(String database, List<String[]> transaction, Set<String> relations) {
        if (transaction.isEmpty()) {
            return 0;
        }
        StringBuilder sql = new StringBuilder("BEGIN;\n");
        Map<String, byte[]> variables = new LinkedHashMap<>();
        for (String[] change : transaction) {
            String name = "c" + variables.size();
            byte[] value = Base64.getDecoder().decode(change[2]);
            variables.put(name, value);
            if (change[1].equals("delete")) {
                sql.append("DELETE $").append(name).append(";\n");
            } else if (relations.contains(tableOf(value))) {
                // A relation's edge cannot be upserted: it is written again whole.
                sql.append("DELETE $").append(name).append(".id; INSERT RELATION $").append(name).append(";\n");
            } else {
                sql.append("UPSERT $").append(name).append(".id CONTENT $").append(name).append(";\n");
            }
        }
        rpc.query(namespace, database, sql.append("COMMIT;").toString(), variables);
        return transaction.size();
    }

    /** The table of a record: the first element of its id's {@code [table, key]}. */
    private static String tableOf(byte[] record) {
        return RawCbor.Item.of(record).get("id").untagged().elements().getFirst().text();
    }

    private Set<String> relationTables(String database) {
        Map<String, RawCbor.Item> tables = rpc.query(namespace, database, "INFO FOR DB", Map.of()).getFirst()
                .get("tables").entries();
        Set<String> relations = new HashSet<>();
        tables.forEach((name, definition) -> {
            if (definition.text().contains("TYPE RELATION")) {
                relations.add(name);
            }
        });
        return relations;
    }

    private List<String> existingDatabases() {
        Map<String, RawCbor.Item> existing = rpc.query(namespace, null, "INFO FOR NS", Map.of()).getFirst()
                .get("databases").entries();
        return databases.stream().filter(existing::containsKey).toList();
    }

    /** A versionstamp is the commit's epoch milliseconds shifted left by 16 bits, plus a counter. */
    static long versionstampAt(Instant time) {
        return time.toEpochMilli() << 16;
    }

    static Instant timeOf(long versionstamp) {
        return Instant.ofEpochMilli(versionstamp >>> 16);
    }

    private static String base64(RawCbor.Item item) {
        return Base64.getEncoder().encodeToString(item.copy());
    }

    private static void appendSynced(Path file, String text) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
        }
    }

    static void writeAtomically(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A namespace or database name in backticks; the names come from the platform's configuration. */
    private static String identifier(String name) {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }
}
