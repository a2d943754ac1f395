package io.polystore.order.personaldata;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/**
 * The key-encryption key: a Tink AEAD keyset. Its primary key wraps new data keys; every key in it unwraps, so a
 * rotation adds a new primary and keeps the old keys until every data key has been re-wrapped.
 */
public final class MasterKey {

    public static final String GENERATE_FOR_DEVELOPMENT = "generate-for-development";

    static {
        try {
            AeadConfig.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KeysetHandle keyset;
    private final Aead aead;
    private final boolean generated;

    private MasterKey(KeysetHandle keyset, boolean generated) throws GeneralSecurityException {
        this.keyset = keyset;
        this.aead = keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        this.generated = generated;
    }

    /** @param configured the base64 of a JSON keyset, or {@value #GENERATE_FOR_DEVELOPMENT} */
    public static MasterKey from(String configured) {
        try {
            if (GENERATE_FOR_DEVELOPMENT.equals(configured)) {
                return new MasterKey(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM), true);
            }
            String json = new String(Base64.getDecoder().decode(configured.strip()), StandardCharsets.UTF_8);
            return new MasterKey(TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get()), false);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // The message names the property, never the value.
            throw new IllegalArgumentException("polystore.personal-data.master-key is not the base64 of a Tink AEAD "
                    + "keyset in JSON: " + e.getMessage(), e);
        }
    }

    /** A new keyset with one AES-256-GCM key, as base64 JSON: the value to put into the Secret. */
    public static String newKeyset() {
        try {
            return encode(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The keyset with a fresh AES-256-GCM key as its primary and the old keys kept, as base64 JSON: step one of a
     * rotation.
     */
    public static String rotate(String configured) {
        try {
            KeysetHandle current = from(configured).keyset;
            KeysetHandle rotated = KeysetHandle.newBuilder(current)
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            return encode(rotated);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keyset with only its primary key, as base64 JSON: the last step of a rotation, once all keys are re-wrapped. */
    public static String retireAllButPrimary(String configured) {
        try {
            KeysetHandle current = from(configured).keyset;
            KeysetHandle.Builder builder = KeysetHandle.newBuilder(current);
            for (int i = builder.size() - 1; i >= 0; i--) {
                if (!builder.getAt(i).isPrimary()) {
                    builder.deleteAt(i);
                }
            }
            return encode(builder.build());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(KeysetHandle keyset) throws GeneralSecurityException {
        String json = TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Encrypts a data key under the primary key, bound to {@code context} (the customer it belongs to). */
    byte[] wrap(KeysetHandle dataKey, byte[] context) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, aead, context);
    }

    /** Decrypts a data key wrapped by any key of this keyset. */
    KeysetHandle unwrap(byte[] wrapped, byte[] context) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, aead, context);
    }

    /** The Tink id of the key that wraps new data keys, unsigned. */
    long primaryKeyId() {
        return Integer.toUnsignedLong(keyset.getPrimary().getId());
    }

    boolean generated() {
        return generated;
    }
}
