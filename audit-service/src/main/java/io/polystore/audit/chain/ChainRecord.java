package io.polystore.audit.chain;

import java.time.Instant;

/**
 * One record of the trail as stored: plain metadata, blind indexes, the non-personal details as JSON text, the
 * personal data as ciphertext, and the two hashes that chain it to its predecessor.
 *
 * @param position     1 for the first record ever, then gap-free
 * @param actorIndex   blind index of the actor, null when the event has none
 * @param details      the event's fields that are not personal data, JSON text hashed byte for byte
 * @param personal     AEAD ciphertext of actor, subject and client address; associated data: the event id
 * @param previousHash the predecessor's record hash; 32 zero bytes for position 1
 * @param recordHash   SHA-256 of {@link #canonicalForm()}
 */
public record ChainRecord(long position, String eventId, String eventType, String source, Instant occurredAt,
                          Instant recordedAt, String action, byte[] actorIndex, byte[] subjectIndex, String details,
                          byte[] personal, byte[] previousHash, byte[] recordHash) {

    public static final String FORM = "polystore-audit-record/v1";
    /** The predecessor hash of the very first record. */
    public static final byte[] GENESIS_HASH = new byte[CanonicalForm.HASH_LENGTH];

    /** Every stored field but the record hash itself, in the order the README specifies. */
    public CanonicalForm canonicalForm() {
        return new CanonicalForm(FORM)
                .int64(position)
                .bytes(previousHash)
                .text(eventId)
                .text(eventType)
                .text(source)
                .instant(occurredAt)
                .instant(recordedAt)
                .text(action)
                .bytes(actorIndex)
                .bytes(subjectIndex)
                .text(details)
                .bytes(personal);
    }

    public byte[] computeHash() {
        return canonicalForm().sha256();
    }

    /** This record with its record hash computed from its content. */
    public ChainRecord sealed() {
        return new ChainRecord(position, eventId, eventType, source, occurredAt, recordedAt, action, actorIndex,
                subjectIndex, details, personal, previousHash, computeHash());
    }
}
