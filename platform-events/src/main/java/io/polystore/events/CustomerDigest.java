package io.polystore.events;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

/**
 * The pseudonymous key of a customer in the order history records ({@link OrderHistoryRecorded#customerKey()}): the
 * HMAC-SHA256 of their id (the token subject) under a secret key that every region shares, in lower-case hex. Every
 * region computes the same digest for the same subject, so a region holding the replica finds a caller's orders by
 * their own token's subject; without the key the digest says nothing, whereas a plain hash of a guessable subject
 * (a user name, an e-mail address) would be linked to the person by hashing candidates.
 */
public final class CustomerDigest {

    /** The shortest key taken: HMAC-SHA256's own output size, so that guessing the key is no easier than the digest. */
    public static final int MIN_KEY_BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    /**
     * @param key at least {@value #MIN_KEY_BYTES} random bytes, the same in every region
     */
    public CustomerDigest(byte[] key) {
        Require.notNull(key, "key");
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("a customer digest key must have at least " + MIN_KEY_BYTES
                    + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, ALGORITHM);
    }

    /** The digest of the customer's id: 64 lower-case hex digits. */
    public String of(String customerId) {
        Require.notBlank(customerId, "customerId");
        try {
            // A Mac is not thread-safe; making one is cheap next to everything else a history record costs.
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HMAC-SHA256", e);
        }
    }

    /** Never the key. */
    @Override
    public String toString() {
        return "CustomerDigest[HMAC-SHA256]";
    }
}
