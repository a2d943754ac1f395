package io.polystore.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private final Clock clock = Clock.fixed(EventSamples.TIME, ZoneOffset.UTC);
    private final ReleaseStock event = new ReleaseStock(EventSamples.ORDER_ID, "cancelled");

    @Test
    void ofStampsAFreshIdAndTheClocksTime() {
        EventEnvelope first = EventEnvelope.of(event, "/order-service", clock);
        EventEnvelope second = EventEnvelope.of(event, "/order-service", clock);

        assertThat(UUID.fromString(first.id())).isNotEqualTo(UUID.fromString(second.id()));
        assertThat(first.time()).isEqualTo(EventSamples.TIME);
        assertThat(first.source()).isEqualTo(URI.create("/order-service"));
        assertThat(first.traceparent()).isNull();
        assertThat(first.data()).isSameAs(event);
    }

    @Test
    void derivesTypeVersionAndSubjectFromTheData() {
        EventEnvelope envelope = EventEnvelope.of(event, "/order-service", clock);

        assertThat(envelope.specversion()).isEqualTo("1.0");
        assertThat(envelope.type()).isEqualTo("io.polystore.catalog.ReleaseStock");
        assertThat(envelope.schemaversion()).isEqualTo(1);
        assertThat(envelope.subject()).isEqualTo(EventSamples.ORDER_ID.toString());
        assertThat(envelope.datacontenttype()).isEqualTo("application/json");
    }

    @Test
    void listsItsAttributesInWireOrderAndTheTraceparentOnlyWhenPresent() {
        EventEnvelope envelope = EventEnvelope.of(event, "/order-service", clock);

        assertThat(envelope.attributes()).containsExactly(
                entry("specversion", "1.0"),
                entry("id", envelope.id()),
                entry("source", "/order-service"),
                entry("type", "io.polystore.catalog.ReleaseStock"),
                entry("subject", EventSamples.ORDER_ID.toString()),
                entry("time", "2026-03-01T10:15:30.123456789Z"),
                entry("datacontenttype", "application/json"),
                entry("schemaversion", "1"));
        assertThat(envelope.withTraceparent("00-trace").attributes()).containsEntry("traceparent", "00-trace");
    }

    @Test
    void rejectsMissingAttributes() {
        assertThatIllegalArgumentException().isThrownBy(() -> EventEnvelope.of(event, "", clock))
                .withMessage("source must not be blank");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EventEnvelope("id", URI.create("/s"), EventSamples.TIME, null, null))
                .withMessage("data is required");
    }
}
