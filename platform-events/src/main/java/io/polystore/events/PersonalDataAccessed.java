package io.polystore.events;

import java.time.Instant;

/**
 * Someone read, changed or erased a customer's personal data.
 *
 * @param actor the JWT subject of who did it
 * @param customerId the JWT subject of the customer whose data it is
 * @param purpose why, e.g. {@code order-fulfilment} or {@code support-ticket-4711}
 */
@EventType(name = "io.polystore.audit.PersonalDataAccessed", version = 1, topic = Topics.AUDIT_EVENTS)
public record PersonalDataAccessed(String actor, String customerId, Action action, String purpose, Instant occurredAt)
        implements PolystoreEvent {

    public PersonalDataAccessed {
        Require.notBlank(actor, "actor");
        Require.notBlank(customerId, "customerId");
        Require.notNull(action, "action");
        Require.notBlank(purpose, "purpose");
        Require.notNull(occurredAt, "occurredAt");
    }

    @Override
    public String aggregateId() {
        return customerId;
    }

    public enum Action {
        READ,
        CHANGE,
        ERASE
    }
}
