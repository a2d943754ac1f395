package io.polystore.surrealdb.cbor;

import io.polystore.surrealdb.Geometry;
import io.polystore.surrealdb.RecordId;
import io.polystore.surrealdb.SurrealNone;
import io.polystore.surrealdb.SurrealRange;
import io.polystore.surrealdb.Table;
import io.polystore.surrealdb.Tagged;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SurrealCborTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @ValueSource(strings = {"10.0", "10.00", "0.1", "-12345678901234567890.123456789", "0", "100"})
    void writesDecimalsAsTag10TextKeepingTheirScale(String amount) {
        BigDecimal decimal = new BigDecimal(amount);

        byte[] cbor = SurrealCbor.encode(decimal);

        assertThat(HEX.formatHex(cbor)).startsWith("ca"); // tag 10
        Object decoded = SurrealCbor.decode(cbor);
        assertThat(decoded).isInstanceOf(BigDecimal.class);
        assertThat(((BigDecimal) decoded).scale()).isEqualTo(decimal.scale());
        assertThat(decoded).isEqualTo(decimal);
    }

    @Test
    void writesDecimalsWithoutExponents() {
        assertThat(SurrealCbor.decode(SurrealCbor.encode(new BigDecimal("1E+3")))).hasToString("1000");
        assertThat(cborText(new BigDecimal("1E-3"))).isEqualTo("0.001");
    }

    @Test
    void keepsNoneApartFromNull() {
        assertThat(HEX.formatHex(SurrealCbor.encode(SurrealNone.NONE))).isEqualTo("c6f6");
        assertThat(HEX.formatHex(SurrealCbor.encode(null))).isEqualTo("f6");
        assertThat(SurrealCbor.decode(HEX.parseHex("c6f6"))).isSameAs(SurrealNone.NONE);
        assertThat(SurrealCbor.decode(HEX.parseHex("f6"))).isNull();
        assertThat(SurrealCbor.decode(HEX.parseHex("f7"))).as("CBOR undefined").isSameAs(SurrealNone.NONE);
    }

    @Test
    void writesUuidsAsTag37With16Bytes() {
        UUID uuid = UUID.fromString("0190d8a4-7b7e-7c4e-9c1a-3f1e2d3c4b5a");

        byte[] cbor = SurrealCbor.encode(uuid);

        assertThat(HEX.formatHex(cbor)).isEqualTo("d82550" + "0190d8a47b7e7c4e9c1a3f1e2d3c4b5a");
        assertThat(SurrealCbor.decode(cbor)).isEqualTo(uuid);
    }

    @Test
    void readsUuidsSentAsTag9Text() {
        UUID uuid = UUID.randomUUID();

        assertThat(SurrealCbor.decode(tagged(9, text(uuid.toString())))).isEqualTo(uuid);
    }

    @Test
    void writesDatetimesAsTag12SecondsAndNanos() {
        Instant instant = Instant.parse("2024-05-06T07:08:09.123456789Z");

        byte[] cbor = SurrealCbor.encode(instant);

        assertThat(HEX.formatHex(cbor)).startsWith("cc82"); // tag 12, array of 2
        assertThat(SurrealCbor.decode(cbor)).isEqualTo(instant);
        assertThat(SurrealCbor.decode(SurrealCbor.encode(Instant.parse("1969-12-31T23:59:59.5Z"))))
                .isEqualTo(Instant.parse("1969-12-31T23:59:59.5Z"));
        assertThat(SurrealCbor.decode(SurrealCbor.encode(OffsetDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2)))))
                .isEqualTo(Instant.parse("2024-01-01T10:00:00Z"));
    }

    @Test
    void readsDatetimesSentAsTag0Text() {
        assertThat(SurrealCbor.decode(tagged(0, text("2024-01-02T03:04:05.6+01:00"))))
                .isEqualTo(Instant.parse("2024-01-02T02:04:05.6Z"));
    }

    @Test
    void writesDurationsAsTag14InTheShortestForm() {
        assertThat(HEX.formatHex(SurrealCbor.encode(Duration.ZERO))).isEqualTo("ce80");
        assertThat(HEX.formatHex(SurrealCbor.encode(Duration.ofSeconds(90)))).isEqualTo("ce81185a");
        assertThat(HEX.formatHex(SurrealCbor.encode(Duration.ofMillis(1500)))).isEqualTo("ce82011a1dcd6500");
        for (Duration duration : List.of(Duration.ZERO, Duration.ofSeconds(90), Duration.ofNanos(1), Duration.ofDays(400))) {
            assertThat(SurrealCbor.decode(SurrealCbor.encode(duration))).isEqualTo(duration);
        }
        assertThatThrownBy(() -> SurrealCbor.encode(Duration.ofSeconds(-1))).isInstanceOf(SurrealCborException.class);
    }

    @Test
    void readsDurationsSentAsTag13Text() {
        assertThat(SurrealCbor.decode(tagged(13, text("1w2d3h4m5s6ms7us8ns"))))
                .isEqualTo(Duration.ofDays(9).plusHours(3).plusMinutes(4).plusSeconds(5).plusMillis(6).plusNanos(7008));
        assertThat(SurrealCbor.decode(tagged(13, text("1y")))).isEqualTo(Duration.ofDays(365));
        assertThat(SurrealCbor.decode(tagged(13, text("3µs")))).isEqualTo(Duration.ofNanos(3000));
        assertThatThrownBy(() -> SurrealCbor.decode(tagged(13, text("5 parsecs")))).isInstanceOf(SurrealCborException.class);
    }

    @Test
    void writesRecordIdsAsTag8TableAndKey() {
        RecordId id = RecordId.of("product", "abc");

        byte[] cbor = SurrealCbor.encode(id);

        assertThat(HEX.formatHex(cbor)).isEqualTo("c882" + "6770726f64756374" + "63616263");
        assertThat(SurrealCbor.decode(cbor)).isEqualTo(id);
    }

    @Test
    void roundTripsRecordIdsWithEveryKindOfKey() {
        UUID uuid = UUID.randomUUID();
        List<RecordId> ids = List.of(
                RecordId.of("t", 42),
                RecordId.of("t", uuid),
                RecordId.of("t", List.of("a", 1L)),
                RecordId.of("t", Map.of("region", "eu")),
                RecordId.of("t", SurrealRange.halfOpen(1L, 5L)),
                RecordId.of("t", "it's; RETURN 1 -- ⟩"));

        for (RecordId id : ids) {
            assertThat(SurrealCbor.decode(SurrealCbor.encode(id))).isEqualTo(id);
        }
    }

    @Test
    void readsRecordIdsSentAsText() {
        assertThat(SurrealCbor.decode(tagged(8, text("person:tobie")))).isEqualTo(RecordId.of("person", "tobie"));
        assertThat(SurrealCbor.decode(tagged(8, text("person:7")))).isEqualTo(RecordId.of("person", 7L));
        assertThat(SurrealCbor.decode(tagged(8, text("person:⟨a b⟩")))).isEqualTo(RecordId.of("person", "a b"));
    }

    @Test
    void writesTablesAsTag7() {
        assertThat(HEX.formatHex(SurrealCbor.encode(Table.of("product")))).isEqualTo("c7" + "6770726f64756374");
        assertThat(SurrealCbor.decode(SurrealCbor.encode(Table.of("product")))).isEqualTo(Table.of("product"));
    }

    @Test
    void writesRangesAsTag49WithTaggedBounds() {
        SurrealRange range = SurrealRange.halfOpen(1L, 10L);

        byte[] cbor = SurrealCbor.encode(range);

        assertThat(HEX.formatHex(cbor)).isEqualTo("d831" + "82" + "d83201" + "d8330a");
        assertThat(SurrealCbor.decode(cbor)).isEqualTo(range);
    }

    @Test
    void roundTripsRangesWithOpenSidesAndTaggedBounds() {
        Instant from = Instant.parse("2024-01-01T00:00:00Z");
        List<SurrealRange> ranges = List.of(
                new SurrealRange(null, new SurrealRange.Included(5L)),
                new SurrealRange(new SurrealRange.Excluded(1L), null),
                new SurrealRange(null, null),
                SurrealRange.closed(from, from.plusSeconds(60)),
                SurrealRange.closed(new BigDecimal("1.50"), new BigDecimal("9.99")),
                SurrealRange.halfOpen(RecordId.of("t", 1), RecordId.of("t", 9)));

        for (SurrealRange range : ranges) {
            assertThat(SurrealCbor.decode(SurrealCbor.encode(range))).isEqualTo(range);
        }
    }

    @Test
    void writesSetsAsTag56() {
        Set<Object> set = new LinkedHashSet<>(List.of("a", "b"));

        byte[] cbor = SurrealCbor.encode(set);

        assertThat(HEX.formatHex(cbor)).isEqualTo("d838" + "82" + "6161" + "6162");
        assertThat(SurrealCbor.decode(cbor)).isEqualTo(set).isInstanceOf(Set.class);
    }

    @Test
    void roundTripsGeometries() {
        Geometry.Point a = new Geometry.Point(-0.1, 51.5);
        Geometry.Point b = new Geometry.Point(2.35, 48.85);
        Geometry.Line line = new Geometry.Line(List.of(a, b, a));
        Geometry.Polygon polygon = new Geometry.Polygon(List.of(line));
        List<Geometry> geometries = List.of(a, line, polygon, new Geometry.MultiPoint(List.of(a, b)),
                new Geometry.MultiLine(List.of(line)), new Geometry.MultiPolygon(List.of(polygon)),
                new Geometry.Collection(List.of(a, polygon)));

        for (Geometry geometry : geometries) {
            assertThat(SurrealCbor.decode(SurrealCbor.encode(geometry))).isEqualTo(geometry);
        }
        assertThat(HEX.formatHex(SurrealCbor.encode(a))).startsWith("d85882");
    }

    @Test
    void mapsPlainValues() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "héllo ⟨x⟩ 'y'; -- $z");
        value.put("int", 7L);
        value.put("big", Long.MAX_VALUE);
        value.put("negative", -3L);
        value.put("float", 1.5d);
        value.put("bool", true);
        value.put("null", null);
        value.put("list", List.of(1L, "two", List.of()));
        value.put("nested", Map.of("a", Map.of("b", false)));

        Object decoded = SurrealCbor.decode(SurrealCbor.encode(value));

        assertThat(decoded).isEqualTo(value);
        assertThat(List.copyOf(((Map<?, ?>) decoded).keySet())).isEqualTo(List.copyOf(value.keySet()));
    }

    @Test
    void bytesStayBytes() {
        byte[] bytes = {0, 1, 2, (byte) 255};

        assertThat((byte[]) SurrealCbor.decode(SurrealCbor.encode(bytes))).containsExactly(bytes);
    }

    @Test
    void writesOtherJavaTypesAsTheirSurrealDbCounterparts() {
        record Line(String productId, int quantity, BigDecimal price) {
        }
        enum Status { RESERVED }

        assertThat(SurrealCbor.decode(SurrealCbor.encode(new Line("p1", 2, new BigDecimal("9.90")))))
                .isEqualTo(Map.of("product_id", "p1", "quantity", 2L, "price", new BigDecimal("9.90")));
        assertThat(SurrealCbor.decode(SurrealCbor.encode(Status.RESERVED))).isEqualTo("RESERVED");
        assertThat(SurrealCbor.decode(SurrealCbor.encode(new int[]{1, 2}))).isEqualTo(List.of(1L, 2L));
        assertThat(SurrealCbor.decode(SurrealCbor.encode(3))).isEqualTo(3L);
        assertThat(SurrealCbor.decode(SurrealCbor.encode(2.5f))).isEqualTo(2.5d);
        assertThat(SurrealCbor.decode(SurrealCbor.encode(BigInteger.TEN))).isEqualTo(10L);
        assertThat(SurrealCbor.decode(SurrealCbor.encode(BigInteger.TWO.pow(70))))
                .isEqualTo(new BigDecimal(BigInteger.TWO.pow(70)));
    }

    @Test
    void keepsUnknownTagsAsTheyWere() {
        byte[] cbor = tagged(55, SurrealCbor.encode(List.of("bucket", "/key")));

        Object decoded = SurrealCbor.decode(cbor);

        assertThat(decoded).isEqualTo(new Tagged(55, List.of("bucket", "/key")));
        assertThat(SurrealCbor.encode(decoded)).isEqualTo(cbor);
    }

    @Test
    void refusesValuesWithoutASurrealDbType() {
        assertThatThrownBy(() -> SurrealCbor.encode(new Object()))
                .isInstanceOf(SurrealCborException.class)
                .hasMessageContaining("java.lang.Object");
        assertThatThrownBy(() -> SurrealCbor.encode(Map.of(1, "x")))
                .isInstanceOf(SurrealCborException.class)
                .hasMessageContaining("keys are strings");
    }

    @Test
    void refusesMalformedInput() {
        assertThatThrownBy(() -> SurrealCbor.decode(new byte[0])).isInstanceOf(SurrealCborException.class);
        assertThatThrownBy(() -> SurrealCbor.decode(HEX.parseHex("8201"))).isInstanceOf(SurrealCborException.class);
        assertThatThrownBy(() -> SurrealCbor.decode(tagged(37, SurrealCbor.encode(new byte[3]))))
                .isInstanceOf(SurrealCborException.class)
                .hasMessageContaining("tag 37");
        assertThatThrownBy(() -> SurrealCbor.decode(tagged(10, text("ten")))).isInstanceOf(SurrealCborException.class);
    }

    private static String cborText(BigDecimal decimal) {
        byte[] cbor = SurrealCbor.encode(decimal);
        return (String) SurrealCbor.decode(Arrays.copyOfRange(cbor, 1, cbor.length));
    }

    private static byte[] text(String value) {
        return SurrealCbor.encode(value);
    }

    /** A CBOR tag head (one-byte tag numbers below 24, else one more byte) before an encoded item. */
    private static byte[] tagged(int tag, byte[] item) {
        byte[] head = tag < 24 ? new byte[]{(byte) (0xc0 | tag)} : new byte[]{(byte) 0xd8, (byte) tag};
        byte[] result = Arrays.copyOf(head, head.length + item.length);
        System.arraycopy(item, 0, result, head.length, item.length);
        return result;
    }
}
