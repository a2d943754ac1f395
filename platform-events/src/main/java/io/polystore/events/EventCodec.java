package io.polystore.events;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns envelopes into JSON and back: the whole envelope in CloudEvents structured mode, or the data
 * alone plus string attributes for the binary modes. Decoding resolves the record class through
 * {@link EventTypes} and is strict: anything it cannot read exactly raises an {@link EventDecodingException}.
 * Thread-safe.
 */
public final class EventCodec {

    /** The media type of an envelope in structured mode. */
    public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";

    private final JsonMapper mapper = JsonMapper.builder()
            // Money must keep its exact decimal, also when structured mode reads through a tree.
            .enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            // Free-form values (a product's attributes) too, in both modes: a decimal, never a double.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            // The record component order is the documented wire order.
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            // Strict: a field this build does not know, or a value that only fits by conversion, is an error.
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    /** The envelope as a CloudEvents JSON document: attributes at the top level, the event as its {@code data}. */
    public byte[] toStructuredJson(EventEnvelope envelope) {
        Map<String, Object> document = new LinkedHashMap<>(envelope.attributes());
        // The JSON format carries the Integer extension as a number; only the binary modes need its string form.
        document.put("schemaversion", envelope.schemaversion());
        document.put("data", envelope.data());
        return mapper.writeValueAsBytes(document);
    }

    public EventEnvelope fromStructuredJson(byte[] json) {
        JsonNode document = readTree(json);
        Map<String, String> attributes = new HashMap<>();
        for (Map.Entry<String, JsonNode> member : document.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (name.equals("data") || value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw new EventDecodingException("attribute " + name + " must be a string, number or boolean");
            }
            attributes.put(name, value.asString());
        }
        JsonNode data = document.get("data");
        if (data == null || data.isNull()) {
            throw new EventDecodingException("data is missing");
        }
        return decode(attributes, eventClass -> mapper.treeToValue(data, eventClass));
    }

    /** The event alone as JSON: the message body in binary mode. */
    public byte[] toDataJson(PolystoreEvent event) {
        return mapper.writeValueAsBytes(event);
    }

    /**
     * An envelope from a binary-mode message.
     *
     * @param attributes the context attributes by their CloudEvents names (without any protocol prefix)
     * @param data the message body, the event as JSON
     */
    public EventEnvelope fromBinary(Map<String, String> attributes, byte[] data) {
        if (data == null) {
            throw new EventDecodingException("data is missing");
        }
        return decode(attributes, eventClass -> mapper.readValue(data, eventClass));
    }

    private JsonNode readTree(byte[] json) {
        JsonNode document;
        try {
            document = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new EventDecodingException("not a JSON document: " + e.getOriginalMessage(), e);
        }
        if (document == null || !document.isObject()) {
            throw new EventDecodingException("a structured event must be a JSON object");
        }
        return document;
    }

    private static EventEnvelope decode(Map<String, String> attributes,
            Function<Class<? extends PolystoreEvent>, PolystoreEvent> dataReader) {
        String specversion = required(attributes, "specversion");
        if (!specversion.equals(EventEnvelope.SPEC_VERSION)) {
            throw new EventDecodingException("unsupported specversion '" + specversion + "', expected "
                    + EventEnvelope.SPEC_VERSION);
        }
        String contentType = required(attributes, "datacontenttype");
        if (!contentType.equals(EventEnvelope.DATA_CONTENT_TYPE)) {
            throw new EventDecodingException("unsupported datacontenttype '" + contentType + "', expected "
                    + EventEnvelope.DATA_CONTENT_TYPE);
        }
        String type = required(attributes, "type");
        Class<? extends PolystoreEvent> eventClass = EventTypes.resolve(type, schemaVersion(attributes));
        PolystoreEvent data;
        try {
            data = dataReader.apply(eventClass);
        } catch (JacksonException e) {
            String path = dataPath(e);
            throw new EventDecodingException("invalid data of " + type + (path.isEmpty() ? "" : " at " + path) + ": "
                    + e.getOriginalMessage(), e);
        }
        EventEnvelope envelope;
        try {
            envelope = new EventEnvelope(required(attributes, "id"), new URI(required(attributes, "source")),
                    Instant.parse(required(attributes, "time")), attributes.get("traceparent"), data);
        } catch (URISyntaxException | DateTimeParseException | IllegalArgumentException e) {
            throw new EventDecodingException("invalid attribute: " + e.getMessage(), e);
        }
        String subject = required(attributes, "subject");
        if (!subject.equals(envelope.subject())) {
            throw new EventDecodingException("subject '" + subject + "' differs from the aggregate id '"
                    + envelope.subject() + "' of the data");
        }
        return envelope;
    }

    /** Where in the data the problem is, e.g. {@code lines[0].quantity}, so that a dead-letter reason points at it. */
    private static String dataPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static int schemaVersion(Map<String, String> attributes) {
        String schemaVersion = required(attributes, "schemaversion");
        try {
            return Integer.parseInt(schemaVersion);
        } catch (NumberFormatException e) {
            throw new EventDecodingException("schemaversion must be an integer, was '" + schemaVersion + "'", e);
        }
    }

    private static String required(Map<String, String> attributes, String name) {
        String value = attributes.get(name);
        if (value == null || value.isEmpty()) {
            throw new EventDecodingException("attribute " + name + " is missing");
        }
        return value;
    }
}
