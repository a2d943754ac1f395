package io.polystore.audit.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.prf.PrfConfig;
import com.google.crypto.tink.prf.PredefinedPrfParameters;
import io.polystore.audit.crypto.PersonalDataCipher.SearchableField;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersonalDataCipherTest {

    private static final String EVENT_ID = "0f5a2c1e-8d1b-4c3a-9e2f-1b2c3d4e5f60";

    @Test
    void decryptsOnlyForTheRecordItWasEncryptedFor() throws Exception {
        PersonalDataCipher cipher = new PersonalDataCipher(new EncryptionProperties(aeadKeyset(), prfKeyset()));
        byte[] plaintext = "{\"actor\":\"alice\"}".getBytes(StandardCharsets.UTF_8);

        byte[] ciphertext = cipher.encrypt(plaintext, EVENT_ID);

        assertThat(new String(ciphertext, StandardCharsets.ISO_8859_1)).doesNotContain("alice");
        assertThat(cipher.decrypt(ciphertext, EVENT_ID)).isEqualTo(plaintext);
        assertThatThrownBy(() -> cipher.decrypt(ciphertext, "another-event")).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void blindIndexesAreStablePerFieldAndUnlinkedAcrossFields() throws Exception {
        PersonalDataCipher cipher = new PersonalDataCipher(new EncryptionProperties(aeadKeyset(), prfKeyset()));

        byte[] actor = cipher.blindIndex(SearchableField.ACTOR, "alice");

        assertThat(actor).hasSize(PersonalDataCipher.INDEX_LENGTH)
                .isEqualTo(cipher.blindIndex(SearchableField.ACTOR, "alice"))
                .isNotEqualTo(cipher.blindIndex(SearchableField.SUBJECT, "alice"))
                .isNotEqualTo(cipher.blindIndex(SearchableField.ACTOR, "alicf"));
    }

    @Test
    void searchesFindRecordsIndexedBeforeAKeyRotation() throws Exception {
        String before = prfKeyset();
        KeysetHandle rotated = KeysetHandle.newBuilder(TinkJsonProtoKeysetFormat.parseKeyset(before, InsecureSecretKeyAccess.get()))
                .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedPrfParameters.HMAC_SHA256_PRF)
                        .withRandomId().makePrimary())
                .build();
        String after = TinkJsonProtoKeysetFormat.serializeKeyset(rotated, InsecureSecretKeyAccess.get());
        byte[] oldIndex = new PersonalDataCipher(new EncryptionProperties(aeadKeyset(), before))
                .blindIndex(SearchableField.ACTOR, "alice");

        PersonalDataCipher afterRotation = new PersonalDataCipher(new EncryptionProperties(aeadKeyset(), after));

        assertThat(afterRotation.blindIndex(SearchableField.ACTOR, "alice")).isNotEqualTo(oldIndex);
        assertThat(afterRotation.blindIndexes(SearchableField.ACTOR, "alice")).hasSize(2).contains(oldIndex);
    }

    @Test
    void refusesAKeysetThatIsNotOne() {
        assertThatThrownBy(() -> new PersonalDataCipher(new EncryptionProperties("{\"not\": \"a keyset\"}", prfKeyset())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("polystore.audit.encryption.keyset");
    }

    static String aeadKeyset() throws GeneralSecurityException {
        AeadConfig.register();
        return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM),
                InsecureSecretKeyAccess.get());
    }

    static String prfKeyset() throws GeneralSecurityException {
        PrfConfig.register();
        return TinkJsonProtoKeysetFormat.serializeKeyset(KeysetHandle.generateNew(PredefinedPrfParameters.HMAC_SHA256_PRF),
                InsecureSecretKeyAccess.get());
    }
}
