package io.polystore.audit.verification;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import java.time.Instant;

/**
 * The outcome of recomputing a stretch of the chain.
 *
 * @param from               the first position verified (the start of the retained chain when none was asked for)
 * @param to                 the last position verified: the asked end, or the head
 * @param recordsChecked     records whose hashes were recomputed before the check ended
 * @param checkpointsChecked checkpoints whose signatures and hashes were checked
 * @param firstBreak         the first broken link, null when the stretch is intact
 */
public record VerificationReport(Status status, long from, long to, long recordsChecked, long checkpointsChecked,
                                 Instant verifiedAt, long durationMillis, @Nullable Break firstBreak) {

    public enum Status {
        INTACT, BROKEN
    }

    /** What can be wrong at a position. */
    public enum Problem {
        /** No record at this position, though records or a checkpoint after it exist: deleted, or the tail cut. */
        RECORD_MISSING,
        /** The record's content no longer hashes to its stored record hash: it was edited. */
        RECORD_HASH_MISMATCH,
        /** The record does not link to its predecessor's hash: it was moved, replaced or re-hashed. */
        PREVIOUS_HASH_MISMATCH,
        /** The checkpoint at this position vouches for another record hash: the chain up to here was rewritten. */
        CHECKPOINT_MISMATCH,
        /** The checkpoint's signature does not verify: it was forged or altered. */
        CHECKPOINT_SIGNATURE_INVALID
    }

    /** @param position where the chain first fails to verify */
    @Schema(name = "ChainBreak")
    public record Break(long position, Problem problem, String detail) {
    }

    public boolean intact() {
        return status == Status.INTACT;
    }
}
