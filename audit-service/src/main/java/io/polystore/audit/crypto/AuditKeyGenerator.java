package io.polystore.audit.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PredefinedPrfParameters;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * Prints fresh key material for {@code polystore.audit.*} as environment variables: the AEAD and blind-index
 * keysets and the checkpoint signing key, plus the public key for external verifiers. Run it once per environment
 * and keep its output in the secret store; see the README for the command.
 */
public final class AuditKeyGenerator {

    private AuditKeyGenerator() {
    }

    public static void main(String[] args) throws GeneralSecurityException {
        AeadConfig.register();
        PrfConfig.register();
        String keyset = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), InsecureSecretKeyAccess.get()).strip();
        String indexKeyset = TinkJsonProtoKeysetFormat.serializeKeyset(
                KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF), InsecureSecretKeyAccess.get()).strip();
        KeyPair signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Base64.Encoder base64 = Base64.getEncoder();
        System.out.println("POLYSTORE_AUDIT_ENCRYPTION_KEYSET='" + keyset + "'");
        System.out.println("POLYSTORE_AUDIT_ENCRYPTION_INDEXKEYSET='" + indexKeyset + "'");
        System.out.println("POLYSTORE_AUDIT_CHECKPOINTS_SIGNINGKEY=" + base64.encodeToString(signing.getPrivate().getEncoded()));
        System.out.println("# public key, for verifiers outside the service: "
                + base64.encodeToString(signing.getPublic().getEncoded()));
    }
}
