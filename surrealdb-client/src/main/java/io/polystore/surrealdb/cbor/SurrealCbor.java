package io.polystore.surrealdb.cbor;

import io.polystore.surrealdb.Geometry;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealRange;
import io.polystore.surrealdb.Table;
import io.polystore.surrealdb.Tagged;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.dataformat.cbor.CBORFactory;
import tools.jackson.dataformat.cbor.CBORGenerator;
import tools.jackson.dataformat.cbor.CBORParser;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * SurrealDB's CBOR protocol: Java values to CBOR and back, with every SurrealDB tag mapped to a Java type.
 *
 * <table>
 * <caption>Mapping</caption>
 * <tr><th>SurrealDB</th><th>CBOR</th><th>Java</th></tr>
 * <tr><td>NULL</td><td>null</td><td>{@code null}</td></tr>
 * <tr><td>NONE</td><td>tag 6 (and CBOR undefined when read)</td><td>{@link SurrealNone#NONE}</td></tr>
 * <tr><td>bool, string, bytes</td><td>as CBOR</td><td>{@link Boolean}, {@link String}, {@code byte[]}</td></tr>
 * <tr><td>int</td><td>integer</td><td>{@link Long} (written from any integral type)</td></tr>
 * <tr><td>float</td><td>float</td><td>{@link Double}</td></tr>
 * <tr><td>decimal</td><td>tag 10, text</td><td>{@link BigDecimal}, scale kept: {@code 10.0} stays {@code 10.0}</td></tr>
 * <tr><td>datetime</td><td>tag 12 {@code [s, ns]} (tag 0 ISO text when read)</td><td>{@link Instant}</td></tr>
 * <tr><td>duration</td><td>tag 14 {@code [s, ns]} (tag 13 text when read)</td><td>{@link Duration}</td></tr>
 * <tr><td>uuid</td><td>tag 37, 16 bytes (tag 9 text when read)</td><td>{@link UUID}</td></tr>
 * <tr><td>table</td><td>tag 7</td><td>{@link Table}</td></tr>
 * <tr><td>record id</td><td>tag 8 {@code [table, key]} (text {@code "t:k"} when read)</td><td>{@link RecordId}</td></tr>
 * <tr><td>range</td><td>tags 49, 50, 51</td><td>{@link SurrealRange}</td></tr>
 * <tr><td>set</td><td>tag 56</td><td>{@link Set}</td></tr>
 * <tr><td>geometry</td><td>tags 88 to 94</td><td>{@link Geometry}</td></tr>
 * <tr><td>array, object</td><td>array, map</td><td>{@link List}, {@link Map} (insertion-ordered)</td></tr>
 * <tr><td>other tags</td><td>any</td><td>{@link Tagged}, written back unchanged</td></tr>
 * </table>
 * When writing, Java records become objects of their components, enums their names, arrays and collections arrays.
 * Thread-safe.
 */
public final class SurrealCbor {

    static final int TAG_DATETIME_TEXT = 0;
    static final int TAG_NONE = 6;
    static final int TAG_TABLE = 7;
    static final int TAG_RECORD_ID = 8;
    static final int TAG_UUID_TEXT = 9;
    static final int TAG_DECIMAL = 10;
    static final int TAG_DATETIME = 12;
    static final int TAG_DURATION_TEXT = 13;
    static final int TAG_DURATION = 14;
    static final int TAG_UUID = 37;
    static final int TAG_RANGE = 49;
    static final int TAG_BOUND_INCLUDED = 50;
    static final int TAG_BOUND_EXCLUDED = 51;
    static final int TAG_SET = 56;
    static final int TAG_POINT = 88;
    static final int TAG_LINE = 89;
    static final int TAG_POLYGON = 90;
    static final int TAG_MULTI_POINT = 91;
    static final int TAG_MULTI_LINE = 92;
    static final int TAG_MULTI_POLYGON = 93;
    static final int TAG_COLLECTION = 94;

    /** Tags that can sit inside a range bound's tag on the same item. */
    private static final int[] TAGS_INSIDE_BOUNDS = {TAG_DATETIME_TEXT, TAG_NONE, TAG_TABLE, TAG_RECORD_ID, TAG_UUID_TEXT,
            TAG_DECIMAL, TAG_DATETIME, TAG_DURATION_TEXT, TAG_DURATION, TAG_UUID, TAG_RANGE, TAG_SET, TAG_POINT, TAG_LINE,
            TAG_POLYGON, TAG_MULTI_POINT, TAG_MULTI_LINE, TAG_MULTI_POLYGON, TAG_COLLECTION};

    private static final int[] NO_TAGS = new int[0];

    private static final CBORFactory FACTORY = CBORFactory.builder().build();

    private SurrealCbor() {
    }

    public static byte[] encode(Object value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (CBORGenerator generator = (CBORGenerator) FACTORY.createGenerator(ObjectWriteContext.empty(), out)) {
            write(generator, value);
        } catch (JacksonException e) {
            throw new SurrealCborException("Cannot encode value as CBOR: " + e.getOriginalMessage(), e);
        }
        return out.toByteArray();
    }

    public static Object decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static Object decode(byte[] bytes, int offset, int length) {
        try (CBORParser parser = (CBORParser) FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw new SurrealCborException("Empty CBOR input");
            }
            Object value = read(parser, token, tags(parser), 0);
            if (parser.nextToken() != null) {
                throw new SurrealCborException("Trailing bytes after the CBOR value");
            }
            return value;
        } catch (JacksonException e) {
            throw new SurrealCborException("Malformed CBOR: " + e.getOriginalMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Writing
    // ---------------------------------------------------------------------------------------------

    private static void write(CBORGenerator out, Object value) {
        switch (value) {
            case null -> out.writeNull();
            case SurrealNone none -> {
                out.writeTag(TAG_NONE);
                out.writeNull();
            }
            case String text -> out.writeString(text);
            case Boolean bool -> out.writeBoolean(bool);
            case Long number -> out.writeNumber(number);
            case Integer number -> out.writeNumber(number.longValue());
            case Short number -> out.writeNumber(number.longValue());
            case Byte number -> out.writeNumber(number.longValue());
            case Double number -> out.writeNumber(number.doubleValue());
            case Float number -> out.writeNumber(number.doubleValue());
            case BigDecimal decimal -> writeDecimal(out, decimal);
            case BigInteger integer -> writeBigInteger(out, integer);
            case Instant instant -> writeDatetime(out, instant);
            case OffsetDateTime dateTime -> writeDatetime(out, dateTime.toInstant());
            case ZonedDateTime dateTime -> writeDatetime(out, dateTime.toInstant());
            case Date date -> writeDatetime(out, date.toInstant());
            case Duration duration -> writeDuration(out, duration);
            case UUID uuid -> writeUuid(out, uuid);
            case Table table -> {
                out.writeTag(TAG_TABLE);
                out.writeString(table.name());
            }
            case RecordId id -> {
                out.writeTag(TAG_RECORD_ID);
                out.writeStartArray(null, 2);
                out.writeString(id.table());
                write(out, id.key());
                out.writeEndArray();
            }
            case SurrealRange range -> writeRange(out, range);
            case Geometry geometry -> writeGeometry(out, geometry);
            case Tagged tagged -> {
                out.writeTag(Math.toIntExact(tagged.tag()));
                write(out, tagged.value());
            }
            case byte[] bytes -> out.writeBinary(bytes);
            case Character character -> out.writeString(character.toString());
            case Enum<?> constant -> out.writeString(constant.name());
            case Map<?, ?> map -> writeMap(out, map);
            case Set<?> set -> {
                out.writeTag(TAG_SET);
                writeArray(out, set);
            }
            case Collection<?> collection -> writeArray(out, collection);
            case Record record -> writeRecord(out, record);
            default -> {
                if (value.getClass().isArray()) {
                    int length = Array.getLength(value);
                    out.writeStartArray(null, length);
                    for (int i = 0; i < length; i++) {
                        write(out, Array.get(value, i));
                    }
                    out.writeEndArray();
                } else {
                    throw new SurrealCborException("No SurrealDB type for " + value.getClass().getName()
                            + ": use a map, a record, or one of the types SurrealCbor maps");
                }
            }
        }
    }

    private static void writeDecimal(CBORGenerator out, BigDecimal decimal) {
        out.writeTag(TAG_DECIMAL);
        // Plain notation keeps the scale (10.0 stays "10.0") and avoids exponents, which SurrealDB's parser rejects.
        out.writeString(decimal.toPlainString());
    }

    private static void writeBigInteger(CBORGenerator out, BigInteger integer) {
        if (integer.bitLength() < Long.SIZE) {
            out.writeNumber(integer.longValue());
        } else {
            writeDecimal(out, new BigDecimal(integer));
        }
    }

    private static void writeDatetime(CBORGenerator out, Instant instant) {
        out.writeTag(TAG_DATETIME);
        out.writeStartArray(null, 2);
        out.writeNumber(instant.getEpochSecond());
        out.writeNumber((long) instant.getNano());
        out.writeEndArray();
    }

    private static void writeDuration(CBORGenerator out, Duration duration) {
        if (duration.isNegative()) {
            throw new SurrealCborException("SurrealDB durations cannot be negative: " + duration);
        }
        out.writeTag(TAG_DURATION);
        if (duration.isZero()) {
            out.writeStartArray(null, 0);
        } else if (duration.getNano() == 0) {
            out.writeStartArray(null, 1);
            out.writeNumber(duration.getSeconds());
        } else {
            out.writeStartArray(null, 2);
            out.writeNumber(duration.getSeconds());
            out.writeNumber((long) duration.getNano());
        }
        out.writeEndArray();
    }

    private static void writeUuid(CBORGenerator out, UUID uuid) {
        byte[] bytes = ByteBuffer.allocate(16)
                .putLong(uuid.getMostSignificantBits())
                .putLong(uuid.getLeastSignificantBits())
                .array();
        out.writeTag(TAG_UUID);
        out.writeBinary(bytes);
    }

    private static void writeRange(CBORGenerator out, SurrealRange range) {
        out.writeTag(TAG_RANGE);
        out.writeStartArray(null, 2);
        writeBound(out, range.begin());
        writeBound(out, range.end());
        out.writeEndArray();
    }

    private static void writeBound(CBORGenerator out, SurrealRange.Bound bound) {
        switch (bound) {
            case null -> out.writeNull();
            case SurrealRange.Included included -> {
                out.writeTag(TAG_BOUND_INCLUDED);
                write(out, included.value());
            }
            case SurrealRange.Excluded excluded -> {
                out.writeTag(TAG_BOUND_EXCLUDED);
                write(out, excluded.value());
            }
        }
    }

    private static void writeGeometry(CBORGenerator out, Geometry geometry) {
        switch (geometry) {
            case Geometry.Point point -> {
                out.writeTag(TAG_POINT);
                out.writeStartArray(null, 2);
                out.writeNumber(point.x());
                out.writeNumber(point.y());
                out.writeEndArray();
            }
            case Geometry.Line line -> writeGeometries(out, TAG_LINE, line.points());
            case Geometry.Polygon polygon -> writeGeometries(out, TAG_POLYGON, polygon.rings());
            case Geometry.MultiPoint multi -> writeGeometries(out, TAG_MULTI_POINT, multi.points());
            case Geometry.MultiLine multi -> writeGeometries(out, TAG_MULTI_LINE, multi.lines());
            case Geometry.MultiPolygon multi -> writeGeometries(out, TAG_MULTI_POLYGON, multi.polygons());
            case Geometry.Collection collection -> {
                out.writeTag(TAG_COLLECTION);
                out.writeStartArray(null, collection.geometries().size());
                for (Geometry member : collection.geometries()) {
                    writeGeometry(out, member);
                }
                out.writeEndArray();
            }
        }
    }

    /** SurrealDB tags the parts of a geometry too: a line's points are tag 88, a polygon's rings tag 89. */
    private static void writeGeometries(CBORGenerator out, int tag, List<? extends Geometry> parts) {
        out.writeTag(tag);
        out.writeStartArray(null, parts.size());
        for (Geometry part : parts) {
            writeGeometry(out, part);
        }
        out.writeEndArray();
    }

    private static void writeMap(CBORGenerator out, Map<?, ?> map) {
        out.writeStartObject(null, map.size());
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new SurrealCborException("SurrealDB object keys are strings, not " + entry.getKey());
            }
            out.writeName(name);
            write(out, entry.getValue());
        }
        out.writeEndObject();
    }

    private static void writeArray(CBORGenerator out, Collection<?> values) {
        out.writeStartArray(null, values.size());
        for (Object element : values) {
            write(out, element);
        }
        out.writeEndArray();
    }

    /** The field a record component is written to: its name in snake_case, {@code createdAt} as {@code created_at}. */
    public static String fieldName(String component) {
        StringBuilder field = new StringBuilder(component.length() + 4);
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (Character.isUpperCase(c)) {
                field.append('_').append(Character.toLowerCase(c));
            } else {
                field.append(c);
            }
        }
        return field.toString();
    }

    private static void writeRecord(CBORGenerator out, Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        out.writeStartObject(null, components.length);
        for (RecordComponent component : components) {
            out.writeName(fieldName(component.getName()));
            try {
                component.getAccessor().setAccessible(true);
                write(out, component.getAccessor().invoke(record));
            } catch (ReflectiveOperationException e) {
                throw new SurrealCborException("Cannot read " + component + " of " + record.getClass().getName(), e);
            }
        }
        out.writeEndObject();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading
    // ---------------------------------------------------------------------------------------------

    /** The tags on the current item, outermost first; Jackson keeps them in the order it met them. */
    private static int[] tags(CBORParser parser) {
        CBORParser.TagList list = parser.getCurrentTags();
        if (list == null || list.isEmpty()) {
            return NO_TAGS;
        }
        if (list.size() == 1) {
            return new int[]{list.getFirstTag()};
        }
        int outer = list.getFirstTag();
        if (list.size() == 2 && (outer == TAG_BOUND_INCLUDED || outer == TAG_BOUND_EXCLUDED)) {
            for (int inner : TAGS_INSIDE_BOUNDS) {
                if (list.contains(inner)) {
                    return new int[]{outer, inner};
                }
            }
        }
        throw new SurrealCborException("Unexpected nesting of " + list.size() + " CBOR tags, the outermost " + outer);
    }

    private static Object read(CBORParser parser, JsonToken token, int[] tags, int tagIndex) {
        if (tagIndex < tags.length) {
            return readTagged(parser, token, tags, tagIndex);
        }
        return switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> readInteger(parser);
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_EMBEDDED_OBJECT -> readEmbedded(parser);
            case START_ARRAY -> readArray(parser);
            case START_OBJECT -> readMap(parser);
            default -> throw new SurrealCborException("Unexpected CBOR token " + token);
        };
    }

    private static Object readInteger(CBORParser parser) {
        return switch (parser.getNumberType()) {
            case INT, LONG -> parser.getLongValue();
            default -> {
                BigInteger value = parser.getBigIntegerValue();
                yield value.bitLength() < Long.SIZE ? (Object) value.longValue() : value;
            }
        };
    }

    private static Object readEmbedded(CBORParser parser) {
        Object embedded = parser.getEmbeddedObject();
        if (embedded instanceof byte[]) {
            return embedded;
        }
        if (parser.isUndefined()) {
            return SurrealNone.NONE;
        }
        throw new SurrealCborException("Unexpected embedded CBOR value " + embedded);
    }

    private static List<Object> readArray(CBORParser parser) {
        List<Object> list = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token == null) {
                throw new SurrealCborException("Truncated CBOR array");
            }
            list.add(read(parser, token, tags(parser), 0));
        }
        return list;
    }

    private static Map<String, Object> readMap(CBORParser parser) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.PROPERTY_NAME) {
                throw new SurrealCborException("Truncated CBOR map");
            }
            String name = parser.currentName();
            JsonToken valueToken = parser.nextToken();
            map.put(name, read(parser, valueToken, tags(parser), 0));
        }
        return map;
    }

    private static Object readTagged(CBORParser parser, JsonToken token, int[] tags, int tagIndex) {
        int tag = tags[tagIndex];
        Object value = read(parser, token, tags, tagIndex + 1);
        try {
            return switch (tag) {
                case TAG_NONE -> SurrealNone.NONE;
                case TAG_TABLE -> new Table((String) value);
                case TAG_RECORD_ID -> recordId(value);
                case TAG_UUID_TEXT -> UUID.fromString((String) value);
                case TAG_UUID -> uuid((byte[]) value);
                case TAG_DECIMAL -> new BigDecimal((String) value);
                case TAG_DATETIME -> datetime((List<?>) value);
                case TAG_DATETIME_TEXT -> OffsetDateTime.parse((String) value).toInstant();
                case TAG_DURATION -> duration((List<?>) value);
                case TAG_DURATION_TEXT -> SurrealDurations.parse((String) value);
                case TAG_RANGE -> range((List<?>) value);
                case TAG_BOUND_INCLUDED -> new SurrealRange.Included(value);
                case TAG_BOUND_EXCLUDED -> new SurrealRange.Excluded(value);
                case TAG_SET -> new LinkedHashSet<>((List<?>) value);
                case TAG_POINT -> point(value);
                case TAG_LINE -> line(value);
                case TAG_POLYGON -> polygon(value);
                case TAG_MULTI_POINT -> new Geometry.MultiPoint(points(value));
                case TAG_MULTI_LINE -> new Geometry.MultiLine(((List<?>) value).stream().map(SurrealCbor::line).toList());
                case TAG_MULTI_POLYGON -> new Geometry.MultiPolygon(((List<?>) value).stream().map(SurrealCbor::polygon).toList());
                case TAG_COLLECTION -> new Geometry.Collection(((List<?>) value).stream().map(Geometry.class::cast).toList());
                default -> new Tagged(tag, value);
            };
        } catch (ClassCastException | IllegalArgumentException | IndexOutOfBoundsException | NullPointerException
                 | java.time.format.DateTimeParseException e) {
            throw new SurrealCborException("Malformed value for CBOR tag " + tag + ": " + value, e);
        }
    }

    private static RecordId recordId(Object value) {
        if (value instanceof String text) {
            return RecordId.parse(text);
        }
        List<?> parts = (List<?>) value;
        if (parts.size() != 2) {
            throw new IllegalArgumentException("a record id has two parts");
        }
        return new RecordId((String) parts.get(0), parts.get(1));
    }

    private static UUID uuid(byte[] bytes) {
        if (bytes.length != 16) {
            throw new IllegalArgumentException("a UUID has 16 bytes");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static Instant datetime(List<?> parts) {
        long seconds = parts.isEmpty() ? 0 : ((Number) parts.get(0)).longValue();
        long nanos = parts.size() < 2 ? 0 : ((Number) parts.get(1)).longValue();
        return Instant.ofEpochSecond(seconds, nanos);
    }

    private static Duration duration(List<?> parts) {
        long seconds = parts.isEmpty() ? 0 : ((Number) parts.get(0)).longValue();
        long nanos = parts.size() < 2 ? 0 : ((Number) parts.get(1)).longValue();
        return Duration.ofSeconds(seconds, nanos);
    }

    private static SurrealRange range(List<?> bounds) {
        if (bounds.size() != 2) {
            throw new IllegalArgumentException("a range has two bounds");
        }
        return new SurrealRange((SurrealRange.Bound) bounds.get(0), (SurrealRange.Bound) bounds.get(1));
    }

    private static Geometry.Point point(Object value) {
        if (value instanceof Geometry.Point point) {
            return point;
        }
        List<?> coordinates = (List<?>) value;
        return new Geometry.Point(((Number) coordinates.get(0)).doubleValue(), ((Number) coordinates.get(1)).doubleValue());
    }

    private static List<Geometry.Point> points(Object value) {
        return ((List<?>) value).stream().map(SurrealCbor::point).toList();
    }

    /** Parts of a geometry arrive tagged (as geometries already read) or, from lenient writers, as plain arrays. */
    private static Geometry.Line line(Object value) {
        return value instanceof Geometry.Line line ? line : new Geometry.Line(points(value));
    }

    private static Geometry.Polygon polygon(Object value) {
        return value instanceof Geometry.Polygon polygon ? polygon
                : new Geometry.Polygon(((List<?>) value).stream().map(SurrealCbor::line).toList());
    }
}
