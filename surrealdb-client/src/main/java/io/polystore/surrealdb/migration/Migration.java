package io.polystore.surrealdb.migration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned SurrealQL migration, named as Flyway names SQL ones: {@code V<version>__<description>.surql},
 * e.g. {@code V2__product_search_index.surql}. Applied once, in version order, inside one transaction, and
 * recorded with the checksum of its text, which must not change afterwards.
 *
 * @param version     positive, unique
 * @param description from the file name, underscores as spaces
 * @param script      the SurrealQL text, without {@code BEGIN}/{@code COMMIT} (the migrator adds them)
 * @param source      where the script came from, for messages
 */
public record Migration(long version, String description, String script, String source) {

    private static final Pattern FILE_NAME = Pattern.compile("V([0-9]+)__([A-Za-z0-9_\\-]+)\\.surql");

    public Migration {
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(source, "source");
        if (version < 1) {
            throw new IllegalArgumentException("A migration version is positive, not " + version + " (" + source + ")");
        }
    }

    /** A migration from a file called {@code V<version>__<description>.surql}. */
    public static Migration fromFile(String fileName, String script, String source) {
        Matcher matcher = FILE_NAME.matcher(fileName);
        if (!matcher.matches()) {
            throw new SchemaMigrationException("Migration file " + source
                    + " is not named V<version>__<description>.surql (e.g. V1__catalog_schema.surql)");
        }
        return new Migration(Long.parseLong(matcher.group(1)), matcher.group(2).replace('_', ' '), script, source);
    }

    /** SHA-256 of the script with line endings normalised, so a checkout on another OS does not look edited. */
    public String checksum() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(script.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "V" + version + " (" + description + ")";
    }
}
