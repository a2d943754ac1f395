package io.polystore.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTest {

    private final EventCodec codec = new EventCodec();

    static Stream<PolystoreEvent> samples() {
        return EventSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void structuredJsonRoundTripGivesAnEqualEnvelope(PolystoreEvent event) {
        EventEnvelope envelope = EventSamples.envelope(event);

        assertThat(codec.fromStructuredJson(codec.toStructuredJson(envelope))).isEqualTo(envelope);
    }

    @Test
    void writesTheGoldenReserveStockDocument() throws IOException {
        EventEnvelope envelope = EventSamples.envelope(
                new ReserveStock(EventSamples.ORDER_ID, EventSamples.LINES, EventSamples.TIME));

        assertThat(text(codec.toStructuredJson(envelope))).isEqualTo(compact(golden()));
    }

    @Test
    void readsTheGoldenReserveStockDocument() throws IOException {
        EventEnvelope envelope = codec.fromStructuredJson(golden().getBytes(StandardCharsets.UTF_8));

        assertThat(envelope).isEqualTo(EventSamples.envelope(
                new ReserveStock(EventSamples.ORDER_ID, EventSamples.LINES, EventSamples.TIME)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.00", "10.0", "10", "0.10", "1E+3", "12345678901234567890.123456789"})
    void keepsTheExactDecimal(String amount) {
        EventEnvelope envelope = EventSamples.envelope(new OrderPlaced(EventSamples.ORDER_ID, "customer-7",
                EventSamples.LINES, new Money(new BigDecimal(amount), "EUR"), EventSamples.TIME));

        byte[] json = codec.toStructuredJson(envelope);
        OrderPlaced read = (OrderPlaced) codec.fromStructuredJson(json).data();

        assertThat(text(json)).contains("\"amount\":" + amount + ",");
        assertThat(read.total().amount()).hasToString(amount);
    }

    @Test
    void rejectsAnUnknownType() {
        assertThatThrownBy(() -> read(golden().replace("catalog.ReserveStock", "catalog.ReserveEverything")))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessage("unknown event type 'io.polystore.catalog.ReserveEverything'");
    }

    @Test
    void rejectsAnUnsupportedSchemaVersion() {
        assertThatThrownBy(() -> read(golden().replace("\"schemaversion\": 1", "\"schemaversion\": 2")))
                .isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessageContaining("unsupported schema version 2 of io.polystore.catalog.ReserveStock");
    }

    @Test
    void rejectsAnUnknownPropertyInData() {
        assertThatThrownBy(() -> read(golden().replace("\"deadline\"", "\"priority\": 1, \"deadline\"")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageContaining("invalid data of io.polystore.catalog.ReserveStock")
                .hasMessageContaining("priority");
    }

    @Test
    void rejectsInvalidValuesInDataNamingTheField() {
        assertThatThrownBy(() -> read(golden().replace("\"quantity\": 2", "\"quantity\": 0")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("invalid data of io.polystore.catalog.ReserveStock at lines[0]: ")
                .hasMessageEndingWith("quantity must be positive, was 0");
        assertThatThrownBy(() -> read(golden().replace("\"deadline\": \"2026-03-01T10:15:30.123456789Z\"",
                "\"deadline\": null")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageContaining("deadline is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {", \"quantity\": 2.5", ", \"quantity\": \"2\"", ", \"quantity\": null", ""})
    void rejectsAQuantityThatOnlyFitsByConversionOrIsMissing(String quantity) {
        assertThatThrownBy(() -> read(golden().replace(", \"quantity\": 2", quantity)))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("invalid data of io.polystore.catalog.ReserveStock at lines[0].quantity: ");
    }

    @Test
    void rejectsADuplicateProperty() {
        assertThatThrownBy(() -> read(golden().replace("\"quantity\": 2", "\"quantity\": 2, \"quantity\": 3")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageContaining("Duplicate Object property \"quantity\"");
        assertThatThrownBy(() -> read(golden().replace("\"id\"", "\"type\": \"x\", \"id\"")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageContaining("Duplicate Object property \"type\"");
    }

    @Test
    void rejectsAMissingAttribute() {
        assertThatThrownBy(() -> read(golden().replace("\"id\"", "\"identifier\"")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessage("attribute id is missing");
    }

    @Test
    void rejectsASubjectThatIsNotTheAggregateId() {
        assertThatThrownBy(() -> read(golden().replace("\"subject\": \"5b0c", "\"subject\": \"6b0c")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("subject '6b0c1a52-7c1e-4d0b-9a43-0c9d5f3b6e21' differs");
    }

    @Test
    void rejectsAnotherSpecVersionOrContentType() {
        assertThatThrownBy(() -> read(golden().replace("\"1.0\"", "\"0.3\"")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessage("unsupported specversion '0.3', expected 1.0");
        assertThatThrownBy(() -> read(golden().replace("\"application/json\"", "\"application/xml\"")))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessage("unsupported datacontenttype 'application/xml', expected application/json");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"specversion\": \"1.0\"} trailing"})
    void rejectsWhatIsNoStructuredEvent(String json) {
        assertThatThrownBy(() -> read(json)).isInstanceOf(EventDecodingException.class);
    }

    private EventEnvelope read(String json) {
        return codec.fromStructuredJson(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String golden() throws IOException {
        try (InputStream in = EventCodecTest.class.getResourceAsStream("reserve-stock.structured.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String compact(String json) {
        JsonMapper mapper = JsonMapper.shared();
        return mapper.writeValueAsString(mapper.readTree(json));
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
