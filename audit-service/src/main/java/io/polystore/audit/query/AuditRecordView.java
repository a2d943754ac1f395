package io.polystore.audit.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.polystore.audit.chain.AuditAction;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * A record as auditors read it: personal data decrypted, hashes in hex. In an export, {@code stored} adds the
 * fields exactly as stored, so that anyone can recompute the chain from the export without keys.
 *
 * @param actor                who acted; absent when the personal data is not readable
 * @param stored               the stored form, only in an export
 * @param personalDataReadable false when the ciphertext does not decrypt for this record: it was altered or moved
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditRecordView(long position, String eventId, String type, String source, Instant occurredAt,
                              Instant recordedAt, @Schema(implementation = AuditAction.class) String action,
                              @Nullable String actor, @Nullable String subject, @Nullable String clientAddress,
                              JsonNode details, boolean personalDataReadable, String previousHash, String recordHash,
                              @Nullable Stored stored) {

    /** The stored form that the record hash covers: blind indexes in hex, details as text, ciphertext in base64. */
    public record Stored(@Nullable String actorIndex, String subjectIndex, String details, String personal) {
    }
}
