package io.polystore.audit.chain;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointSignerTest {

    private static final byte[] HASH = new byte[32];
    private static final Instant SIGNED_AT = Instant.parse("2026-05-01T10:00:00.123456Z");

    @Test
    void derivesThePublicKeyFromThePrivateOne() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

        CheckpointSigner signer = signer(pair, List.of());

        assertThat(signer.publicKey()).isEqualTo(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    }

    @Test
    void aCheckpointVerifiesAndAnyChangeToItDoesNot() throws Exception {
        CheckpointSigner signer = signer(KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), List.of());
        Checkpoint checkpoint = signer.sign(42, HASH, SIGNED_AT);
        byte[] otherHash = HASH.clone();
        otherHash[31] = 1;

        assertThat(signer.problemWith(checkpoint)).isNull();
        assertThat(signer.problemWith(new Checkpoint(43, HASH, SIGNED_AT, checkpoint.keyId(), checkpoint.signature())))
                .isEqualTo("signature is invalid");
        assertThat(signer.problemWith(new Checkpoint(42, otherHash, SIGNED_AT, checkpoint.keyId(), checkpoint.signature())))
                .isEqualTo("signature is invalid");
        assertThat(signer.problemWith(new Checkpoint(42, HASH, SIGNED_AT.plusNanos(1000), checkpoint.keyId(),
                checkpoint.signature()))).isEqualTo("signature is invalid");
    }

    @Test
    void checkpointsOfARotatedKeyVerifyWhileItsPublicKeyIsConfigured() throws Exception {
        KeyPair old = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair current = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint signedBefore = signer(old, List.of()).sign(7, HASH, SIGNED_AT);

        CheckpointSigner rotated = signer(current, List.of(Base64.getEncoder().encodeToString(old.getPublic().getEncoded())));
        CheckpointSigner forgetful = signer(current, List.of());

        assertThat(rotated.problemWith(signedBefore)).isNull();
        assertThat(forgetful.problemWith(signedBefore)).startsWith("signed with unknown key");
    }

    @Test
    void refusesAKeyThatIsNotEd25519() {
        assertThatThrownBy(() -> new CheckpointSigner(new CheckpointProperties("bm90IGEga2V5", null, 1000,
                java.time.Duration.ofSeconds(30))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a usable Ed25519 key");
    }

    private static CheckpointSigner signer(KeyPair pair, List<String> verificationKeys) {
        return new CheckpointSigner(new CheckpointProperties(
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), verificationKeys, 1000,
                java.time.Duration.ofSeconds(30)));
    }
}
