package io.polystore.audit.chain;

import java.time.Instant;
import java.util.Map;

/**
 * An audit event as the trail receives it, personal data still in clear.
 *
 * @param eventId       the CloudEvents id: the record's identity, its idempotency key and its AEAD associated data
 * @param eventTime     the CloudEvents time, from which ingest lag is measured
 * @param occurredAt    when it happened, by the event itself
 * @param action        what happened, e.g. {@code ACCESS_DENY} or {@code PERSONAL_DATA_READ}
 * @param actor         who did it; personal data, null when a service did it
 * @param subject       whom or what it concerns (the CloudEvents subject); personal data
 * @param clientAddress where the request came from; personal data, null when the event has none
 * @param details       the event's other fields, none of them personal data, in a stable order
 */
public record AuditEntry(String eventId, String eventType, String source, Instant eventTime, Instant occurredAt,
                         String action, String actor, String subject, String clientAddress,
                         Map<String, Object> details) {
}
