package io.polystore.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.polystore.events.CategoryState;
import io.polystore.events.EventCodec;
import io.polystore.events.EventDecodingException;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventSamples;
import io.polystore.events.Money;
import io.polystore.events.OrderLine;
import io.polystore.events.PolystoreEvent;
import io.polystore.events.ProductChanged;
import io.polystore.events.ProductState;
import io.polystore.events.RelatedProductsState;
import io.polystore.events.ReserveStock;
import io.polystore.events.Topics;
import io.polystore.events.UnknownEventTypeException;
import io.polystore.events.UnsupportedSchemaVersionException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaEventBindingTest {

    private final KafkaEventBinding binding = new KafkaEventBinding(new EventCodec());

    static Stream<PolystoreEvent> samples() {
        return EventSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void binaryRoundTripGivesAnEqualEnvelope(PolystoreEvent event) {
        EventEnvelope envelope = EventSamples.envelope(event);

        assertThat(binding.fromConsumerRecord(consumed(binding.toProducerRecord(envelope)))).isEqualTo(envelope);
    }

    @Test
    void producesTheEventsTopicKeyHeadersAndDataAsValue() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();

        assertThat(record.topic()).isEqualTo(Topics.CATALOG_COMMANDS);
        assertThat(record.key()).isEqualTo(EventSamples.ORDER_ID.toString());
        assertThat(headers(record.headers())).containsExactly(
                Map.entry("ce_specversion", "1.0"),
                Map.entry("ce_id", "0d9f6a8e-2f4b-4c1e-8f0a-3b7d2c1e9a55"),
                Map.entry("ce_source", "/order-service"),
                Map.entry("ce_type", "io.polystore.catalog.ReserveStock"),
                Map.entry("ce_subject", EventSamples.ORDER_ID.toString()),
                Map.entry("ce_time", "2026-03-01T10:15:30.123456789Z"),
                Map.entry("content-type", "application/json"),
                Map.entry("ce_schemaversion", "1"),
                Map.entry("ce_traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"orderId\":\"5b0c1a52-7c1e-4d0b-9a43-0c9d5f3b6e21\","
                        + "\"lines\":[{\"productId\":\"product:mouse\",\"quantity\":1}],"
                        + "\"deadline\":\"2026-03-01T10:15:30.123456789Z\"}");
    }

    @Test
    void sendsTheCatalogsStatesToTheReplicationTopicKeyedByRecord() {
        for (PolystoreEvent state : EventSamples.all()) {
            if (state instanceof ProductState || state instanceof CategoryState || state instanceof RelatedProductsState) {
                ProducerRecord<String, byte[]> record = binding.toProducerRecord(EventSamples.envelope(state));

                assertThat(record.topic()).isEqualTo(Topics.CATALOG_REPLICATION);
                assertThat(record.key()).isEqualTo(state.aggregateId()).contains(":");
            }
        }
    }

    @Test
    void keepsTheDecimalScaleInTheValue() {
        ProductChanged event = new ProductChanged("product:mouse", "MS-1", "Mouse",
                new Money(new BigDecimal("10.00"), "EUR"), true, 3, EventSamples.TIME);
        ProducerRecord<String, byte[]> record = binding.toProducerRecord(EventSamples.envelope(event));

        ProductChanged read = (ProductChanged) binding.fromConsumerRecord(consumed(record)).data();

        assertThat(new String(record.value(), StandardCharsets.UTF_8)).contains("\"amount\":10.00,");
        assertThat(read.price().amount()).hasToString("10.00");
    }

    @Test
    void rejectsAnUnknownType() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();
        replaceHeader(record.headers(), "ce_type", "io.polystore.catalog.ReserveEverything");

        assertThatThrownBy(() -> binding.fromConsumerRecord(consumed(record)))
                .isInstanceOf(UnknownEventTypeException.class);
    }

    @Test
    void rejectsAnUnsupportedSchemaVersion() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();
        replaceHeader(record.headers(), "ce_schemaversion", "2");

        assertThatThrownBy(() -> binding.fromConsumerRecord(consumed(record)))
                .isInstanceOf(UnsupportedSchemaVersionException.class);
    }

    @Test
    void rejectsAnUnknownPropertyInTheValue() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();
        String value = new String(record.value(), StandardCharsets.UTF_8)
                .replace("{\"orderId\"", "{\"rush\":true,\"orderId\"");

        assertThatThrownBy(() -> binding.fromKafka(record.headers(), value.getBytes(StandardCharsets.UTF_8)))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessageStartingWith("invalid data of io.polystore.catalog.ReserveStock at rush: ");
    }

    @Test
    void rejectsAMissingHeaderOrValue() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();
        record.headers().remove("content-type");

        assertThatThrownBy(() -> binding.fromConsumerRecord(consumed(record)))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessage("attribute datacontenttype is missing");
        assertThatThrownBy(() -> binding.fromKafka(reserveStockRecord().headers(), null))
                .isExactlyInstanceOf(EventDecodingException.class)
                .hasMessage("data is missing");
    }

    @Test
    void ignoresHeadersOfOtherProtocols() {
        ProducerRecord<String, byte[]> record = reserveStockRecord();
        record.headers().add("traceparent", "00-other".getBytes(StandardCharsets.UTF_8));

        assertThat(binding.fromConsumerRecord(consumed(record)).traceparent())
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    }

    private ProducerRecord<String, byte[]> reserveStockRecord() {
        ReserveStock command = new ReserveStock(EventSamples.ORDER_ID, List.of(new OrderLine("product:mouse", 1)),
                EventSamples.TIME);
        return binding.toProducerRecord(EventSamples.envelope(command));
    }

    /** What a consumer receives for a produced record. */
    private static ConsumerRecord<String, byte[]> consumed(ProducerRecord<String, byte[]> produced) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(produced.topic(), 0, 0L, produced.key(),
                produced.value());
        produced.headers().forEach(header -> record.headers().add(header));
        return record;
    }

    private static void replaceHeader(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> headers(Headers headers) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Header header : headers) {
            values.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return values;
    }
}
