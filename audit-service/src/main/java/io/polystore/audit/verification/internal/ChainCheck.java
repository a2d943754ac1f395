package io.polystore.audit.verification.internal;

import io.polystore.audit.chain.ChainRecord;
import io.polystore.audit.chain.Checkpoint;
import io.polystore.audit.chain.CheckpointSigner;
import io.polystore.audit.verification.VerificationReport.Break;
import io.polystore.audit.verification.VerificationReport.Problem;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.NavigableMap;

/**
 * Recomputes a stretch of the chain one record at a time, in position order, and remembers the first broken link.
 * Pure logic: the caller streams the records and hands over the checkpoints of the stretch.
 */
public final class ChainCheck {

    private final CheckpointSigner signer;
    private final NavigableMap<Long, Checkpoint> checkpoints;
    private long expectedPosition;
    private byte[] expectedPreviousHash;
    private long recordsChecked;
    private long checkpointsChecked;
    private Break firstBreak;

    /**
     * @param from                 the first position to verify
     * @param expectedPreviousHash what the record at {@code from} must link to; null when nothing anchors it (the
     *                             record before it is gone and no checkpoint stands in for it)
     * @param checkpoints          every checkpoint from {@code from} to the end of the stretch, by position
     */
    public ChainCheck(long from, byte[] expectedPreviousHash, NavigableMap<Long, Checkpoint> checkpoints,
                      CheckpointSigner signer) {
        this.expectedPosition = from;
        this.expectedPreviousHash = expectedPreviousHash;
        this.checkpoints = checkpoints;
        this.signer = signer;
        if (expectedPreviousHash == null) {
            firstBreak = new Break(from - 1, Problem.RECORD_MISSING, "record " + (from - 1)
                    + " is missing and no checkpoint anchors the chain in its place");
        }
    }

    /** Checks the next record; returns false once the chain is broken, after which nothing more is checked. */
    public boolean accept(ChainRecord record) {
        if (firstBreak != null) {
            return false;
        }
        if (record.position() != expectedPosition) {
            return broken(expectedPosition, Problem.RECORD_MISSING, "record " + expectedPosition
                    + " is missing; the next record stored is " + record.position());
        }
        if (!Arrays.equals(record.previousHash(), expectedPreviousHash)) {
            return broken(record.position(), Problem.PREVIOUS_HASH_MISMATCH, "previous hash " + hex(record.previousHash())
                    + " differs from the hash of record " + (record.position() - 1) + ", " + hex(expectedPreviousHash));
        }
        byte[] hash = record.computeHash();
        recordsChecked++;
        if (!Arrays.equals(hash, record.recordHash())) {
            return broken(record.position(), Problem.RECORD_HASH_MISMATCH, "the content hashes to " + hex(hash)
                    + ", the stored record hash is " + hex(record.recordHash()));
        }
        Checkpoint checkpoint = checkpoints.get(record.position());
        if (checkpoint != null && !checkpointVouchesFor(checkpoint, hash)) {
            return false;
        }
        expectedPosition++;
        expectedPreviousHash = hash;
        return true;
    }

    /** Checks a checkpoint that stands before the stretch (the retention anchor) or after its last record. */
    public boolean acceptCheckpointAlone(Checkpoint checkpoint) {
        if (firstBreak != null) {
            return false;
        }
        String problem = signer.problemWith(checkpoint);
        checkpointsChecked++;
        return problem == null || broken(checkpoint.position(), Problem.CHECKPOINT_SIGNATURE_INVALID,
                "checkpoint at " + checkpoint.position() + ": " + problem);
    }

    /**
     * Ends the stretch at {@code to}: a checkpoint beyond the last record seen means records it vouched for are
     * gone, which is how a cut tail shows.
     */
    public Break finish(long to) {
        if (firstBreak == null && expectedPosition <= to) {
            NavigableMap<Long, Checkpoint> beyond = checkpoints.subMap(expectedPosition, true, to, true);
            if (!beyond.isEmpty()) {
                long last = beyond.lastKey();
                broken(expectedPosition, Problem.RECORD_MISSING, "records " + expectedPosition + " to " + last
                        + " are missing, though the checkpoint at " + last + " vouches for them");
            }
        }
        return firstBreak;
    }

    public long recordsChecked() {
        return recordsChecked;
    }

    public long checkpointsChecked() {
        return checkpointsChecked;
    }

    /** The last position verified so far. */
    public long lastPosition() {
        return expectedPosition - 1;
    }

    private boolean checkpointVouchesFor(Checkpoint checkpoint, byte[] hash) {
        checkpointsChecked++;
        String problem = signer.problemWith(checkpoint);
        if (problem != null) {
            return broken(checkpoint.position(), Problem.CHECKPOINT_SIGNATURE_INVALID,
                    "checkpoint at " + checkpoint.position() + ": " + problem);
        }
        if (!Arrays.equals(checkpoint.recordHash(), hash)) {
            return broken(checkpoint.position(), Problem.CHECKPOINT_MISMATCH, "the checkpoint vouches for "
                    + hex(checkpoint.recordHash()) + ", the record hashes to " + hex(hash));
        }
        return true;
    }

    private boolean broken(long position, Problem problem, String detail) {
        firstBreak = new Break(position, problem, detail);
        return false;
    }

    private static String hex(byte[] bytes) {
        return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
    }
}
