package io.polystore.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class EventTypesTest {

    @Test
    void registersEveryPermittedSubtypeOfPolystoreEvent() {
        Set<Class<?>> registered = Set.copyOf(EventTypes.all());

        assertThat(registered).containsExactlyInAnyOrder(PolystoreEvent.class.getPermittedSubclasses());
    }

    @Test
    void everyRegisteredTypeHasASampleSoTheRoundTripTestsCoverIt() {
        Set<Class<?>> sampled = EventSamples.all().stream().map(Object::getClass).collect(Collectors.toSet());

        assertThat(sampled).containsExactlyInAnyOrderElementsOf(EventTypes.all());
    }

    @Test
    void typesAreReverseDnsUniquePerVersionAndOnAKnownTopic() {
        Set<String> topics = Set.of(Topics.ORDERS_EVENTS, Topics.CATALOG_EVENTS, Topics.CATALOG_COMMANDS,
                Topics.AUDIT_EVENTS, Topics.CATALOG_REPLICATION, Topics.CATALOG_TRANSFERS, Topics.ORDER_HISTORY, Topics.REGIONS);

        for (Class<? extends PolystoreEvent> eventClass : EventTypes.all()) {
            EventType type = EventTypes.of(eventClass);
            assertThat(type.name()).startsWith("io.polystore.");
            assertThat(type.version()).isPositive();
            assertThat(type.topic()).isIn(topics);
            assertThat(EventTypes.resolve(type.name(), type.version())).isEqualTo(eventClass);
        }
    }

    @Test
    void resolvesATypeInItsVersion() {
        assertThat(EventTypes.resolve("io.polystore.catalog.ReserveStock", 1)).isEqualTo(ReserveStock.class);
    }

    @Test
    void rejectsAnUnknownType() {
        assertThatThrownBy(() -> EventTypes.resolve("io.polystore.order.OrderTeleported", 1))
                .isInstanceOf(UnknownEventTypeException.class)
                .hasMessage("unknown event type 'io.polystore.order.OrderTeleported'");
    }

    @Test
    void rejectsAVersionItDoesNotKnow() {
        assertThatThrownBy(() -> EventTypes.resolve("io.polystore.catalog.ReserveStock", 2))
                .isInstanceOf(UnsupportedSchemaVersionException.class)
                .hasMessage("unsupported schema version 2 of io.polystore.catalog.ReserveStock, "
                        + "this build reads versions [1]");
    }
}
