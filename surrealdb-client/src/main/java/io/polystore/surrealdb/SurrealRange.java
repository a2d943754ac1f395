package io.polystore.surrealdb;

/**
 * A SurrealDB range (CBOR tag 49), such as {@code 1..=10} or the key range of {@code person:1..5}.
 * A {@code null} bound is open on that side.
 */
public record SurrealRange(Bound begin, Bound end) {

    /** {@code begin..end}: the SurrealQL default, begin included and end excluded. */
    public static SurrealRange halfOpen(Object begin, Object end) {
        return new SurrealRange(new Included(begin), new Excluded(end));
    }

    /** {@code begin..=end}. */
    public static SurrealRange closed(Object begin, Object end) {
        return new SurrealRange(new Included(begin), new Included(end));
    }

    /** One side of a range: its value, and whether the range includes it. */
    public sealed interface Bound {
        Object value();
    }

    public record Included(Object value) implements Bound {
    }

    public record Excluded(Object value) implements Bound {
    }

    @Override
    public String toString() {
        String from = switch (begin) {
            case null -> "";
            case Included included -> String.valueOf(included.value());
            case Excluded excluded -> excluded.value() + ">";
        };
        String to = switch (end) {
            case null -> "";
            case Included included -> "=" + included.value();
            case Excluded excluded -> String.valueOf(excluded.value());
        };
        return from + ".." + to;
    }
}
