package io.polystore.audit.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PrfSet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encrypts the personal data of a record with Tink AEAD, bound to the record's event id as associated data, so a
 * ciphertext moved to another row no longer decrypts; and computes the keyed blind indexes that let auditors search
 * by actor or subject without the database ever holding either in clear. Thread-safe.
 */
@Component
@EnableConfigurationProperties(EncryptionProperties.class)
public class PersonalDataCipher {

    /** Bytes of a blind index: 128 bits keep accidental collisions out of reach. */
    static final int INDEX_LENGTH = 16;

    /** What a blind index is computed for; the name separates the domains, so equal values give unlinked indexes. */
    public enum SearchableField {
        ACTOR, SUBJECT
    }

    private final Aead aead;
    private final PrfSet indexPrfs;

    public PersonalDataCipher(EncryptionProperties properties) {
        try {
            AeadConfig.register();
            PrfConfig.register();
            aead = parse(properties.keyset(), "keyset")
                    .getPrimitive(RegistryConfiguration.get(), Aead.class);
            indexPrfs = parse(properties.indexKeyset(), "index-keyset")
                    .getPrimitive(RegistryConfiguration.get(), PrfSet.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot use the Tink keysets in polystore.audit.encryption: " + e.getMessage(), e);
        }
    }

    public byte[] encrypt(byte[] plaintext, String eventId) {
        try {
            return aead.encrypt(plaintext, associatedData(eventId));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /** @throws GeneralSecurityException if the ciphertext was altered, or belongs to another record */
    public byte[] decrypt(byte[] ciphertext, String eventId) throws GeneralSecurityException {
        return aead.decrypt(ciphertext, associatedData(eventId));
    }

    /** The index stored with a new record: the primary key's. */
    public byte[] blindIndex(SearchableField field, String value) {
        try {
            return indexPrfs.computePrimary(indexInput(field, value), INDEX_LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Blind index computation failed", e);
        }
    }

    /** The index under every key of the set, so that a search finds records indexed before a key rotation. */
    public List<byte[]> blindIndexes(SearchableField field, String value) {
        try {
            List<byte[]> indexes = new ArrayList<>();
            for (Prf prf : indexPrfs.getPrfs().values()) {
                indexes.add(prf.compute(indexInput(field, value), INDEX_LENGTH));
            }
            return indexes;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Blind index computation failed", e);
        }
    }

    private static byte[] indexInput(SearchableField field, String value) {
        return (field.name() + '\0' + value).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] associatedData(String eventId) {
        return ("polystore-audit-record:" + eventId).getBytes(StandardCharsets.UTF_8);
    }

    private static KeysetHandle parse(String json, String property) throws GeneralSecurityException {
        try {
            return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new GeneralSecurityException("polystore.audit.encryption." + property + " is not a Tink JSON keyset", e);
        }
    }
}
