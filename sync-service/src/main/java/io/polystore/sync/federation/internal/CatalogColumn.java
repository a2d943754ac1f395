package io.polystore.sync.federation.internal;

import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealNone;
import org.apache.calcite.sql.type.SqlTypeName;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;

/**
 * A column of a catalog table as SQL sees it, and where it comes from in SurrealDB.
 *
 * @param name        the SQL name, also the alias in the SurrealQL projection
 * @param kind        the SQL type and how SurrealDB's values turn into it
 * @param expression  what the SurrealQL projection computes, e.g. {@code record::id(id)} or {@code price.amount}
 * @param filterField the SurrealQL field a condition on this column compares, or null where a condition stays in
 *                    Calcite (a column an outer {@code SPLIT} produces: SurrealDB filters before it splits)
 * @param recordTable for a column holding a record's key: the table, so that a condition compares record ids
 *                    (indexed) rather than keys
 * @param nullable    whether the value may be missing; only columns that are never null are sorted in SurrealDB,
 *                    whose order of NONE differs from SQL's
 */
record CatalogColumn(String name, Kind kind, String expression, String filterField, String recordTable,
                     boolean nullable) {

    static CatalogColumn key(String name, String recordTable, String field) {
        return new CatalogColumn(name, Kind.STRING, "record::id(" + field + ")", field, recordTable, false);
    }

    static CatalogColumn optionalKey(String name, String recordTable, String field) {
        return new CatalogColumn(name, Kind.STRING, "(IF " + field + " THEN record::id(" + field + ") END)", field,
                recordTable, true);
    }

    static CatalogColumn field(String name, Kind kind, String field, boolean nullable) {
        return new CatalogColumn(name, kind, field, field, null, nullable);
    }

    /** Produced by the table's {@code SPLIT}: selected, never filtered in SurrealDB. */
    static CatalogColumn split(String name, String expression) {
        return new CatalogColumn(name, Kind.STRING, expression, null, null, false);
    }

    boolean filterable() {
        return filterField != null;
    }

    /** A SQL value (a literal or a parameter's value) as SurrealDB compares it with {@link #filterField}. */
    Object toSurreal(Object sqlValue) {
        if (sqlValue == null) {
            return SurrealNone.NONE;
        }
        if (recordTable != null) {
            return RecordId.of(recordTable, sqlValue.toString());
        }
        return switch (kind) {
            case TIMESTAMP -> switch (sqlValue) {
                case Timestamp timestamp -> timestamp.toInstant();
                case Number millis -> Instant.ofEpochMilli(millis.longValue());
                case TemporalAccessor temporal -> Instant.from(temporal);
                default -> throw new IllegalArgumentException("not a timestamp: " + sqlValue);
            };
            case DECIMAL -> sqlValue instanceof BigDecimal decimal ? decimal : new BigDecimal(sqlValue.toString());
            case BIGINT -> ((Number) sqlValue).longValue();
            case STRING, BOOLEAN -> sqlValue;
        };
    }

    /** A value from SurrealDB in Calcite's representation of {@link #kind}; NONE and null are null. */
    Object fromSurreal(Object value) {
        if (value == null || value instanceof SurrealNone) {
            return null;
        }
        return switch (kind) {
            case STRING -> value instanceof RecordId id ? id.key().toString() : value.toString();
            case BIGINT -> ((Number) value).longValue();
            case DECIMAL -> value instanceof BigDecimal decimal ? decimal : new BigDecimal(value.toString());
            case BOOLEAN -> value;
            case TIMESTAMP -> ((Instant) value).toEpochMilli();
        };
    }

    enum Kind {
        STRING(SqlTypeName.VARCHAR),
        BIGINT(SqlTypeName.BIGINT),
        DECIMAL(SqlTypeName.DECIMAL),
        BOOLEAN(SqlTypeName.BOOLEAN),
        TIMESTAMP(SqlTypeName.TIMESTAMP);

        final SqlTypeName sqlType;

        Kind(SqlTypeName sqlType) {
            this.sqlType = sqlType;
        }
    }
}
