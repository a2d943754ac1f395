package io.polystore.audit.chain;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * {@code polystore.audit.checkpoints.*}.
 *
 * @param signingKey       the Ed25519 private key, PKCS#8 DER in base64 (the body of {@code openssl genpkey
 *                         -algorithm ed25519}'s PEM); its public key is derived from it
 * @param verificationKeys earlier public keys (X.509 SubjectPublicKeyInfo DER in base64) whose checkpoints must still
 *                         verify after the signing key was rotated
 * @param everyRecords     a checkpoint is written as soon as this many records follow the last one
 * @param every            and, when fewer arrive, at least this often while records are unsigned
 */
@Validated
@ConfigurationProperties("polystore.audit.checkpoints")
public record CheckpointProperties(
        @NotBlank String signingKey,
        List<String> verificationKeys,
        @DefaultValue("1000") @Min(1) int everyRecords,
        @DefaultValue("30s") @NotNull Duration every) {

    public CheckpointProperties {
        verificationKeys = verificationKeys == null ? List.of() : List.copyOf(verificationKeys);
    }
}
