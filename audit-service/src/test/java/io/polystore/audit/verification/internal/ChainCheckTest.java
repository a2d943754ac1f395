package io.polystore.audit.verification.internal;

import io.polystore.audit.chain.ChainRecord;
import io.polystore.audit.chain.Checkpoint;
import io.polystore.audit.chain.CheckpointProperties;
import io.polystore.audit.chain.CheckpointSigner;
import io.polystore.audit.verification.VerificationReport.Break;
import io.polystore.audit.verification.VerificationReport.Problem;
import org.junit.jupiter.api.Test;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class ChainCheckTest {

    private final CheckpointSigner signer = signer();
    private final List<ChainRecord> chain = chainOf(5);

    @Test
    void anIntactChainEndsWithoutABreak() {
        ChainCheck check = new ChainCheck(1, ChainRecord.GENESIS_HASH, checkpointAt(5), signer);

        chain.forEach(check::accept);

        assertThat(check.finish(Long.MAX_VALUE)).isNull();
        assertThat(check.recordsChecked()).isEqualTo(5);
        assertThat(check.checkpointsChecked()).isEqualTo(1);
    }

    @Test
    void stopsAtTheFirstBrokenLink() {
        ChainCheck check = new ChainCheck(1, ChainRecord.GENESIS_HASH, checkpointAt(5), signer);

        check.accept(chain.get(0));
        check.accept(chain.get(2));
        check.accept(chain.get(3));

        assertThat(check.finish(Long.MAX_VALUE)).extracting(Break::position, Break::problem)
                .containsExactly(2L, Problem.RECORD_MISSING);
        assertThat(check.recordsChecked()).isEqualTo(1);
    }

    @Test
    void aCheckpointBeyondTheLastRecordMeansTheTailIsGone() {
        ChainCheck check = new ChainCheck(1, ChainRecord.GENESIS_HASH, checkpointAt(5), signer);

        chain.subList(0, 3).forEach(check::accept);

        assertThat(check.finish(Long.MAX_VALUE)).extracting(Break::position, Break::problem)
                .containsExactly(4L, Problem.RECORD_MISSING);
    }

    @Test
    void aStartWithNothingToLinkToIsABreakJustBeforeIt() {
        ChainCheck check = new ChainCheck(3, null, new TreeMap<>(), signer);

        assertThat(check.accept(chain.get(2))).isFalse();
        assertThat(check.finish(Long.MAX_VALUE)).extracting(Break::position, Break::problem)
                .containsExactly(2L, Problem.RECORD_MISSING);
    }

    private NavigableMap<Long, Checkpoint> checkpointAt(int position) {
        NavigableMap<Long, Checkpoint> checkpoints = new TreeMap<>();
        checkpoints.put((long) position, signer.sign(position, chain.get(position - 1).recordHash(), Instant.now()));
        return checkpoints;
    }

    private static List<ChainRecord> chainOf(int length) {
        List<ChainRecord> records = new ArrayList<>();
        byte[] previous = ChainRecord.GENESIS_HASH;
        for (long position = 1; position <= length; position++) {
            ChainRecord record = new ChainRecord(position, "e-" + position, "type", "/test", Instant.EPOCH,
                    Instant.EPOCH, "ACCESS_ALLOW", null, new byte[16], "{}", new byte[40], previous, null).sealed();
            records.add(record);
            previous = record.recordHash();
        }
        return records;
    }

    private static CheckpointSigner signer() {
        try {
            String key = Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
            return new CheckpointSigner(new CheckpointProperties(key, null, 1000, Duration.ofSeconds(30)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
