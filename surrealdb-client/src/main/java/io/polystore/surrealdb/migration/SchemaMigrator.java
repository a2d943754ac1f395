package io.polystore.surrealdb.migration;

import io.polystore.surrealdb.QueryResponse;
import io.polystore.surrealdb.SurrealClient;
import io.polystore.surrealdb.SurrealStatementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flyway's idea for SurrealQL: brings a database's schema up to date by applying, in version order, the
 * {@link Migration}s not yet recorded in its {@code schema_migration} table. Each migration runs in one transaction
 * together with its record, so it is applied completely and once, or not at all.
 * <p>
 * Before applying anything it checks what was applied: a changed checksum (an applied migration was edited) or an
 * applied version missing from the given migrations fails; versions above the highest given one are ignored, as
 * newer instances of a service may have applied them. A pending migration older than the newest applied one fails
 * (no out-of-order migrations). When two instances start at once, one applies a migration and the other, whose
 * transaction then fails, finds it recorded and carries on; a transaction that SurrealDB reports as a retryable
 * conflict is run again.
 * <p>
 * Scripts may use the placeholders {@code ${namespace}}, {@code ${database}} and those passed in; the checksum is
 * taken of the script before they are replaced.
 */
public final class SchemaMigrator {

    /** The table that records applied migrations. */
    public static final String HISTORY_TABLE = "schema_migration";

    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final int CONFLICT_ATTEMPTS = 5;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9_]+");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.\\-]+)}");
    private static final Pattern TRANSACTION_STATEMENT =
            Pattern.compile("(?im)^\\s*(BEGIN|COMMIT|CANCEL)(\\s+TRANSACTION)?\\s*;");

    private static final String DEFINE_HISTORY = """
            DEFINE TABLE IF NOT EXISTS schema_migration SCHEMAFULL;
            DEFINE FIELD IF NOT EXISTS version ON schema_migration TYPE int;
            DEFINE FIELD IF NOT EXISTS description ON schema_migration TYPE string;
            DEFINE FIELD IF NOT EXISTS checksum ON schema_migration TYPE string;
            DEFINE FIELD IF NOT EXISTS applied_at ON schema_migration TYPE datetime;
            """;

    private final SurrealClient client;
    private final String namespace;
    private final String database;
    private final Map<String, String> placeholders;

    /**
     * @param namespace    the namespace the client works in
     * @param database     the database the client works in
     * @param placeholders further {@code ${name}} values for the scripts
     */
    public SchemaMigrator(SurrealClient client, String namespace, String database, Map<String, String> placeholders) {
        this.client = client;
        this.namespace = identifier(namespace, "namespace");
        this.database = identifier(database, "database");
        this.placeholders = new HashMap<>(placeholders);
        this.placeholders.put("namespace", namespace);
        this.placeholders.put("database", database);
    }

    /**
     * Defines the namespace and the database if they do not exist (the server never creates them on use).
     * Needs a root user, or a namespace user for the database alone.
     */
    public void defineNamespaceAndDatabase() {
        // Instances starting together define them at once, and the engine answers all but one with a conflict.
        retryingConflicts(() -> client.queryWithoutDatabase("DEFINE NAMESPACE IF NOT EXISTS `" + namespace
                + "`; USE NS `" + namespace + "`; DEFINE DATABASE IF NOT EXISTS `" + database + "`;", Map.of()));
    }

    /** Applies the pending migrations and returns the versions it applied. */
    public List<Migration> migrate(List<Migration> migrations) {
        TreeMap<Long, Migration> available = byVersion(migrations);
        retryingConflicts(() -> client.query(DEFINE_HISTORY).requireSuccess());
        Map<Long, AppliedMigration> applied = applied();
        validate(available, applied);

        long newestApplied = applied.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        List<Migration> done = new ArrayList<>();
        for (Migration migration : available.values()) {
            if (applied.containsKey(migration.version())) {
                continue;
            }
            if (migration.version() < newestApplied) {
                throw new SchemaMigrationException("Migration " + migration.source() + " is older than V" + newestApplied
                        + ", which is already applied: give it a version above " + newestApplied);
            }
            if (apply(migration)) {
                done.add(migration);
            }
        }
        if (done.isEmpty()) {
            log.info("SurrealDB schema of {}/{} is up to date at V{}", namespace, database, newestApplied);
        }
        return done;
    }

    /** The migrations recorded in the database, by version. */
    public Map<Long, AppliedMigration> applied() {
        QueryResponse response = client.query(
                "SELECT version, description, checksum, applied_at FROM schema_migration ORDER BY version");
        Map<Long, AppliedMigration> applied = new TreeMap<>();
        for (Map<String, Object> row : response.rows(0)) {
            long version = ((Number) row.get("version")).longValue();
            applied.put(version, new AppliedMigration(version, (String) row.get("description"),
                    (String) row.get("checksum"), (Instant) row.get("applied_at")));
        }
        return applied;
    }

    private boolean apply(Migration migration) {
        String script = withPlaceholders(migration);
        if (TRANSACTION_STATEMENT.matcher(script).find()) {
            throw new SchemaMigrationException("Migration " + migration.source()
                    + " contains BEGIN, COMMIT or CANCEL: each migration already runs in its own transaction");
        }
        String sql = "BEGIN TRANSACTION;\n" + script.strip() + "\n;\n"
                // A script may switch databases (to define another one); the record belongs to this one.
                + "USE NS `" + namespace + "` DB `" + database + "`;\n"
                + "CREATE type::record('schema_migration', $version) CONTENT {"
                + " version: $version, description: $description, checksum: $checksum, applied_at: time::now() };\n"
                + "COMMIT TRANSACTION;";
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                client.query(sql, Map.of("version", migration.version(), "description", migration.description(),
                        "checksum", migration.checksum())).requireSuccess();
                break;
            } catch (SurrealStatementException e) {
                AppliedMigration meanwhile = applied().get(migration.version());
                if (meanwhile != null && meanwhile.checksum().equals(migration.checksum())) {
                    log.info("SurrealDB migration {} was applied by another instance meanwhile", migration);
                    return false;
                }
                try {
                    pauseBeforeRetry(e, attempt);
                } catch (SurrealStatementException failed) {
                    throw new SchemaMigrationException("Migration " + migration.source() + " failed and was rolled back: "
                            + e.getMessage(), e);
                }
            }
        }
        log.info("Applied SurrealDB migration {} to {}/{} in {} ms", migration, namespace, database,
                (System.nanoTime() - started) / 1_000_000);
        return true;
    }

    /** Runs the statement again after each conflict worth another attempt. */
    private static void retryingConflicts(Runnable statement) {
        for (int attempt = 1; ; attempt++) {
            try {
                statement.run();
                return;
            } catch (SurrealStatementException e) {
                pauseBeforeRetry(e, attempt);
            }
        }
    }

    /** Rethrows {@code failure} unless it is a conflict worth another attempt, after a pause that grows. */
    private static void pauseBeforeRetry(SurrealStatementException failure, int attempt) {
        if (!failure.isRetryable() || attempt >= CONFLICT_ATTEMPTS) {
            throw failure;
        }
        try {
            Thread.sleep(20L * attempt);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    private void validate(TreeMap<Long, Migration> available, Map<Long, AppliedMigration> applied) {
        long newestAvailable = available.isEmpty() ? 0 : available.lastKey();
        for (AppliedMigration done : applied.values()) {
            Migration migration = available.get(done.version());
            if (migration == null) {
                if (done.version() > newestAvailable) {
                    log.info("SurrealDB migration V{} ({}) is applied but newer than this build's; ignored",
                            done.version(), done.description());
                    continue;
                }
                throw new SchemaMigrationException("Migration V" + done.version() + " (" + done.description()
                        + ") is applied to " + namespace + "/" + database + " but missing from this build");
            }
            if (!migration.checksum().equals(done.checksum())) {
                throw new SchemaMigrationException("Migration " + migration.source() + " was changed after it was applied to "
                        + namespace + "/" + database + " (checksum " + done.checksum() + ", now " + migration.checksum()
                        + "): add a new migration instead of editing an applied one");
            }
        }
    }

    private String withPlaceholders(Migration migration) {
        Matcher matcher = PLACEHOLDER.matcher(migration.script());
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = placeholders.get(matcher.group(1));
            if (value == null) {
                throw new SchemaMigrationException("Migration " + migration.source() + " uses the unknown placeholder ${"
                        + matcher.group(1) + "}; known: " + placeholders.keySet().stream().sorted().toList());
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static TreeMap<Long, Migration> byVersion(List<Migration> migrations) {
        TreeMap<Long, Migration> byVersion = new TreeMap<>();
        for (Migration migration : migrations.stream().sorted(Comparator.comparingLong(Migration::version)).toList()) {
            Migration clash = byVersion.put(migration.version(), migration);
            if (clash != null) {
                throw new SchemaMigrationException("Migrations " + clash.source() + " and " + migration.source()
                        + " have the same version " + migration.version());
            }
        }
        return byVersion;
    }

    private static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("The SurrealDB " + what + " name must be letters, digits and underscores, not '"
                    + name + "'");
        }
        return name;
    }
}
