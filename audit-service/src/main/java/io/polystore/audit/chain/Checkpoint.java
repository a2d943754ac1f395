package io.polystore.audit.chain;

import java.time.Instant;

/**
 * A signed statement that the chain had, at {@code position}, the record whose hash is {@code recordHash}. Since
 * every record hash covers all records before it, one checkpoint vouches for the whole chain up to its position,
 * and a chain that no longer reaches it has lost its tail.
 *
 * @param keyId     which signing key made the signature (hex of the first 8 bytes of SHA-256 of the public key)
 * @param signature Ed25519 over {@link #signedContent()}
 */
public record Checkpoint(long position, byte[] recordHash, Instant signedAt, String keyId, byte[] signature) {

    public static final String FORM = "polystore-audit-checkpoint/v1";

    public byte[] signedContent() {
        return signedContent(position, recordHash, signedAt);
    }

    static byte[] signedContent(long position, byte[] recordHash, Instant signedAt) {
        return new CanonicalForm(FORM).int64(position).bytes(recordHash).instant(signedAt).toByteArray();
    }
}
