package io.polystore.catalog.internal;

import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealNone;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed reads of the fields of a row that SurrealDB returned. */
public final class Rows {

    private Rows() {
    }

    /** The key of the record id in {@code field}: the id the API shows. */
    public static String key(Map<String, Object> row, String field) {
        Object value = row.get(field);
        return value instanceof RecordId id ? String.valueOf(id.key()) : null;
    }

    public static String string(Map<String, Object> row, String field) {
        Object value = row.get(field);
        return value instanceof String text ? text : null;
    }

    public static long number(Map<String, Object> row, String field) {
        Object value = row.get(field);
        return value instanceof Number number ? number.longValue() : 0L;
    }

    public static boolean bool(Map<String, Object> row, String field) {
        return Boolean.TRUE.equals(row.get(field));
    }

    public static Instant instant(Map<String, Object> row, String field) {
        return row.get(field) instanceof Instant instant ? instant : null;
    }

    public static BigDecimal decimal(Map<String, Object> row, String field) {
        return switch (row.get(field)) {
            case BigDecimal decimal -> decimal;
            case Long number -> BigDecimal.valueOf(number);
            case Double number -> BigDecimal.valueOf(number);
            case null, default -> null;
        };
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Map<String, Object> row, String field) {
        return row.get(field) instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> objects(Map<String, Object> row, String field) {
        return row.get(field) instanceof List<?> list ? (List<Map<String, Object>>) list : List.of();
    }

    /** The keys of a list of record ids. */
    public static List<String> keys(Map<String, Object> row, String field) {
        if (!(row.get(field) instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(RecordId.class::isInstance).map(id -> String.valueOf(((RecordId) id).key())).toList();
    }

    /** NONE (an absent field) as null, for values that go out as JSON. */
    public static Object plain(Object value) {
        return switch (value) {
            case SurrealNone none -> null;
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
                yield copy;
            }
            case List<?> list -> list.stream().map(Rows::plain).toList();
            case RecordId id -> String.valueOf(id.key());
            case null, default -> value;
        };
    }
}
