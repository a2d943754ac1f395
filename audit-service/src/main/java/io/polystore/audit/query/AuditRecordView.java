package io.polystore.audit.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A record as auditors read it: personal data decrypted, hashes in hex. In an export, {@code stored} adds the
 * fields exactly as stored, so that anyone can recompute the chain from the export without keys.
 *
 * @param personalDataReadable false when the ciphertext does not decrypt for this record: it was altered or moved
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecordView(long position, String eventId, String type, String source, Instant occurredAt,
                              Instant recordedAt, String action, String actor, String subject, String clientAddress,
                              JsonNode details, boolean personalDataReadable, String previousHash, String recordHash,
                              Stored stored) {

    /** The stored form that the record hash covers: blind indexes in hex, details as text, ciphertext in base64. */
    public record Stored(String actorIndex, String subjectIndex, String details, String personal) {
    }
}
