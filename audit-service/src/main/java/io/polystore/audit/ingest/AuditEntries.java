package io.polystore.audit.ingest;

import io.polystore.audit.chain.AuditAction;
import io.polystore.audit.chain.AuditEntry;
import io.polystore.events.AccessDecided;
import io.polystore.events.AccountChanged;
import io.polystore.events.EventEnvelope;
import io.polystore.events.FederatedQueryRan;
import io.polystore.events.PersonalDataAccessed;
import io.polystore.events.SagaTransitioned;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps each audit event onto the trail's record: who (actor), whom or what (subject: the CloudEvents subject),
 * what happened (action), and the remaining fields as details. Actor, subject and client address are the personal
 * data, encrypted by the trail; the details hold nothing that identifies a person.
 */
final class AuditEntries {

    static final int MAX_EVENT_ID_LENGTH = 256;
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private AuditEntries() {
    }

    /** @throws UnacceptableAuditEventException if the event is no audit event or cannot be stored as it is */
    static AuditEntry from(EventEnvelope envelope) {
        AuditEntry entry = switch (envelope.data()) {
            case AccessDecided access -> entry(envelope, access.occurredAt(),
                    access.decision() == AccessDecided.Decision.ALLOW ? AuditAction.ACCESS_ALLOW : AuditAction.ACCESS_DENY,
                    access.principal(), access.clientAddress(), details(
                            "clientId", access.clientId(),
                            "method", access.method(),
                            "route", access.route(),
                            "status", access.status(),
                            "decision", access.decision().name(),
                            "latencyMicros", access.latencyMicros()));
            case PersonalDataAccessed access -> entry(envelope, access.occurredAt(),
                    switch (access.action()) {
                        case READ -> AuditAction.PERSONAL_DATA_READ;
                        case CHANGE -> AuditAction.PERSONAL_DATA_CHANGE;
                        case ERASE -> AuditAction.PERSONAL_DATA_ERASE;
                    }, access.actor(), null, details(
                            "action", access.action().name(),
                            "purpose", access.purpose()));
            case SagaTransitioned transition -> entry(envelope, transition.occurredAt(), AuditAction.SAGA_TRANSITION,
                    null, null,
                    details(
                            "from", transition.from(),
                            "to", transition.to(),
                            "reason", transition.reason()));
            case FederatedQueryRan query -> entry(envelope, query.occurredAt(), AuditAction.FEDERATED_QUERY,
                    query.actor(), null, details(
                            "sql", query.sql(),
                            "outcome", query.outcome().name(),
                            "rowCount", query.rowCount(),
                            "durationMillis", query.durationMillis()));
            case AccountChanged change -> entry(envelope, change.occurredAt(), AuditAction.ACCOUNT_CHANGE,
                    change.actor(), null, details(
                            "change", change.change().name(),
                            "role", change.role(),
                            "roles", change.roles()));
            default -> throw new UnacceptableAuditEventException(
                    envelope.type() + " is not an audit event (event " + envelope.id() + ")");
        };
        requireStorable(entry);
        return entry;
    }

    private static AuditEntry entry(EventEnvelope envelope, Instant occurredAt, AuditAction action, String actor,
                                    String clientAddress, Map<String, Object> details) {
        return new AuditEntry(envelope.id(), envelope.type(), envelope.source().toString(), envelope.time(), occurredAt,
                action.name(), actor, envelope.subject(), clientAddress, details);
    }

    private static Map<String, Object> details(Object... namesAndValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            details.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return details;
    }

    /**
     * What PostgreSQL would refuse, refused here instead: a record that fails at insert would be retried for ever
     * and stop its partition.
     */
    private static void requireStorable(AuditEntry entry) {
        if (entry.eventId().length() > MAX_EVENT_ID_LENGTH) {
            throw new UnacceptableAuditEventException("event id is longer than " + MAX_EVENT_ID_LENGTH + " characters");
        }
        for (Instant time : new Instant[] {entry.occurredAt(), entry.eventTime()}) {
            if (time.isBefore(EARLIEST) || time.isAfter(LATEST)) {
                throw new UnacceptableAuditEventException("time " + time + " is outside the years 1 to 9999 (event "
                        + entry.eventId() + ")");
            }
        }
        // PostgreSQL text cannot hold U+0000; the details are JSON, where it is escaped.
        for (String text : new String[] {entry.eventId(), entry.eventType(), entry.source(), entry.action()}) {
            if (text.indexOf('\0') >= 0) {
                throw new UnacceptableAuditEventException("a NUL character in the event's attributes (event "
                        + entry.eventId().replace('\0', '?') + ")");
            }
        }
    }
}
