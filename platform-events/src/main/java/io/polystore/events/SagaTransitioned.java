package io.polystore.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An order saga moved from one state to another. The states are the order service's, hence strings.
 *
 * @param from the previous state, null when the saga starts
 * @param reason what caused the move, e.g. the event that arrived or the deadline that passed
 */
@EventType(name = "io.polystore.audit.SagaTransitioned", version = 1, topic = Topics.AUDIT_EVENTS)
public record SagaTransitioned(UUID orderId, String from, String to, String reason, Instant occurredAt)
        implements PolystoreEvent {

    public SagaTransitioned {
        Require.notNull(orderId, "orderId");
        Require.nullOrNotBlank(from, "from");
        Require.notBlank(to, "to");
        Require.notBlank(reason, "reason");
        Require.notNull(occurredAt, "occurredAt");
    }

    @Override
    public String aggregateId() {
        return orderId.toString();
    }
}
