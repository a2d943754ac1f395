package io.polystore.events.kafka;

import io.polystore.events.EventCodec;
import io.polystore.events.EventEnvelope;
import io.polystore.events.EventTypes;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The CloudEvents Kafka protocol binding in binary mode: the event's JSON is the record value, every
 * context attribute is a UTF-8 header named {@code ce_<attribute>}, except {@code datacontenttype},
 * which is {@code content-type}. The record key is the aggregate id and the topic the event type's own.
 * Thread-safe.
 */
public final class KafkaEventBinding {

    private static final String ATTRIBUTE_HEADER_PREFIX = "ce_";
    private static final String CONTENT_TYPE_HEADER = "content-type";
    private static final String CONTENT_TYPE_ATTRIBUTE = "datacontenttype";

    private final EventCodec codec;

    public KafkaEventBinding(EventCodec codec) {
        this.codec = codec;
    }

    public ProducerRecord<String, byte[]> toProducerRecord(EventEnvelope envelope) {
        String topic = EventTypes.of(envelope.data().getClass()).topic();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(topic, envelope.subject(), codec.toDataJson(envelope.data()));
        envelope.attributes().forEach((name, value) ->
                record.headers().add(headerName(name), value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** @throws io.polystore.events.EventDecodingException if the record is no event this build can read */
    public EventEnvelope fromConsumerRecord(ConsumerRecord<String, byte[]> record) {
        return fromKafka(record.headers(), record.value());
    }

    /** @throws io.polystore.events.EventDecodingException if the message is no event this build can read */
    public EventEnvelope fromKafka(Headers headers, byte[] value) {
        // Later headers win, as with Headers.lastHeader.
        Map<String, String> attributes = new HashMap<>();
        for (Header header : headers) {
            String key = header.key();
            if (key.equals(CONTENT_TYPE_HEADER)) {
                attributes.put(CONTENT_TYPE_ATTRIBUTE, utf8(header.value()));
            } else if (key.startsWith(ATTRIBUTE_HEADER_PREFIX)) {
                attributes.put(key.substring(ATTRIBUTE_HEADER_PREFIX.length()), utf8(header.value()));
            }
        }
        return codec.fromBinary(attributes, value);
    }

    private static String headerName(String attribute) {
        return attribute.equals(CONTENT_TYPE_ATTRIBUTE) ? CONTENT_TYPE_HEADER : ATTRIBUTE_HEADER_PREFIX + attribute;
    }

    private static String utf8(byte[] value) {
        return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }
}
