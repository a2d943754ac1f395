package io.polystore.audit.chain;

import com.google.crypto.tink.subtle.Ed25519Sign;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Signs and verifies checkpoints with Ed25519 (the JDK's {@code Signature}). The private key comes from
 * configuration; its public key is derived from it (the JDK has no API for that, Tink's Ed25519 does), and earlier
 * public keys can be configured so that checkpoints signed before a key rotation still verify. Thread-safe.
 */
@Component
@EnableConfigurationProperties(CheckpointProperties.class)
public class CheckpointSigner {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);
    private static final String ALGORITHM = "Ed25519";
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32-byte raw key follows. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PrivateKey signingKey;
    private final String signingKeyId;
    private final Map<String, PublicKey> verificationKeys = new LinkedHashMap<>();

    public CheckpointSigner(CheckpointProperties properties) {
        try {
            KeyFactory keys = KeyFactory.getInstance(ALGORITHM);
            signingKey = keys.generatePrivate(new PKCS8EncodedKeySpec(base64(properties.signingKey(), "signing-key")));
            byte[] seed = ((EdECPrivateKey) signingKey).getBytes()
                    .orElseThrow(() -> new GeneralSecurityException("the private key's bytes are not accessible"));
            byte[] rawPublicKey = Ed25519Sign.KeyPair.newKeyPairFromSeed(seed).getPublicKey();
            PublicKey publicKey = keys.generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, rawPublicKey)));
            signingKeyId = keyId(publicKey);
            verificationKeys.put(signingKeyId, publicKey);
            for (String encoded : properties.verificationKeys()) {
                PublicKey earlier = keys.generatePublic(new X509EncodedKeySpec(base64(encoded, "verification-keys")));
                verificationKeys.putIfAbsent(keyId(earlier), earlier);
            }
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IllegalStateException("polystore.audit.checkpoints: not a usable Ed25519 key: " + e.getMessage(), e);
        }
        log.info("Audit checkpoints are signed with key {}; its public key (X.509, base64) is {}", signingKeyId,
                publicKey());
    }

    public Checkpoint sign(long position, byte[] recordHash, Instant signedAt) {
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(signingKey);
            signature.update(Checkpoint.signedContent(position, recordHash, signedAt));
            return new Checkpoint(position, recordHash, signedAt, signingKeyId, signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Signing a checkpoint failed", e);
        }
    }

    /** Null when the signature is valid under a known key, otherwise what is wrong. */
    public String problemWith(Checkpoint checkpoint) {
        PublicKey key = verificationKeys.get(checkpoint.keyId());
        if (key == null) {
            return "signed with unknown key " + checkpoint.keyId();
        }
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initVerify(key);
            signature.update(checkpoint.signedContent());
            return signature.verify(checkpoint.signature()) ? null : "signature is invalid";
        } catch (GeneralSecurityException e) {
            return "signature is invalid: " + e.getMessage();
        }
    }

    /** The public key of the signing key, X.509 DER in base64: what an external verifier needs. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(verificationKeys.get(signingKeyId).getEncoded());
    }

    private static String keyId(PublicKey key) throws GeneralSecurityException {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static byte[] base64(String value, String property) throws GeneralSecurityException {
        try {
            return Base64.getMimeDecoder().decode(value.strip());
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(property + " is not base64", e);
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
