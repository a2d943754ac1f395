package io.polystore.surrealdb;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A SurrealDB record id, {@code table:key} (CBOR tag 8). The key is a {@link String}, a {@link Long}, a {@link UUID},
 * a {@link List} or a {@link Map} (SurrealDB's array and object keys), or a {@link SurrealRange} of keys.
 * Pass record ids as query variables rather than writing them into SurrealQL text.
 */
public record RecordId(String table, Object key) {

    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");

    public RecordId {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(key, "key");
        if (table.isEmpty()) {
            throw new IllegalArgumentException("A record id needs a table name");
        }
        key = normalizedKey(key);
    }

    public static RecordId of(String table, Object key) {
        return new RecordId(table, key);
    }

    /**
     * Reads the {@code table:key} text form: a key of digits is an integer, a key in {@code ⟨⟩} or backticks is the
     * text between them, anything else is a string. Array, object and range keys need the two-argument form.
     */
    public static RecordId parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("Not a record id (table:key): " + text);
        }
        String table = unquote(text.substring(0, colon), '`', '`');
        String key = text.substring(colon + 1);
        if (INTEGER.matcher(key).matches()) {
            try {
                return new RecordId(table, Long.parseLong(key));
            } catch (NumberFormatException tooLarge) {
                return new RecordId(table, key);
            }
        }
        if (key.startsWith("⟨") && key.endsWith("⟩") && key.length() > 1) {
            return new RecordId(table, unquote(key, '⟨', '⟩').replace("\\⟩", "⟩"));
        }
        return new RecordId(table, unquote(key, '`', '`'));
    }

    /** The key as a string, for keys that are strings. */
    public String stringKey() {
        if (key instanceof String value) {
            return value;
        }
        throw new IllegalStateException("The key of " + this + " is not a string but a " + key.getClass().getSimpleName());
    }

    /** The key as a long, for keys that are integers. */
    public long longKey() {
        if (key instanceof Long value) {
            return value;
        }
        throw new IllegalStateException("The key of " + this + " is not an integer but a " + key.getClass().getSimpleName());
    }

    /** The SurrealQL text form, with the key escaped where it is not a plain identifier; for display only. */
    @Override
    public String toString() {
        String tableText = PLAIN_IDENTIFIER.matcher(table).matches() ? table : "`" + table.replace("`", "\\`") + "`";
        return tableText + ":" + keyText();
    }

    private String keyText() {
        return switch (key) {
            case String text when PLAIN_IDENTIFIER.matcher(text).matches() -> text;
            case String text -> "⟨" + text.replace("⟩", "\\⟩") + "⟩";
            case UUID uuid -> "u'" + uuid + "'";
            default -> String.valueOf(key);
        };
    }

    private static Object normalizedKey(Object key) {
        return switch (key) {
            case String text -> text;
            case Long number -> number;
            case Integer number -> number.longValue();
            case Short number -> number.longValue();
            case Byte number -> number.longValue();
            case UUID uuid -> uuid;
            case List<?> list -> List.copyOf(list);
            case Map<?, ?> map -> map;
            case SurrealRange range -> range;
            default -> throw new IllegalArgumentException(
                    "A record id key is a string, an integer, a UUID, a list, a map or a range, not a " + key.getClass().getName());
        };
    }

    private static String unquote(String text, char open, char close) {
        if (text.length() >= 2 && text.charAt(0) == open && text.charAt(text.length() - 1) == close) {
            return text.substring(1, text.length() - 1);
        }
        return text;
    }
}
