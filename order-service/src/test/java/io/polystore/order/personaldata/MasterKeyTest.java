package io.polystore.order.personaldata;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import io.polystore.order.support.TestMasterKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    private static final byte[] CUSTOMER = "alice".getBytes(StandardCharsets.UTF_8);

    @Test
    void aRotatedKeysetUnwrapsOldDataKeysAndWrapsNewOnesUnderTheNewPrimary() throws Exception {
        String before = MasterKey.newKeyset();
        MasterKey old = MasterKey.from(before);
        KeysetHandle dataKey = dataKey();
        byte[] wrappedByOld = old.wrap(dataKey, CUSTOMER);

        String rotated = MasterKey.rotate(before);
        MasterKey current = MasterKey.from(rotated);

        assertThat(current.primaryKeyId()).isNotEqualTo(old.primaryKeyId());
        assertThat(current.unwrap(wrappedByOld, CUSTOMER).equalsKeyset(dataKey)).isTrue();
        byte[] rewrapped = current.wrap(dataKey, CUSTOMER);
        assertThatThrownBy(() -> old.unwrap(rewrapped, CUSTOMER)).isInstanceOf(GeneralSecurityException.class);

        // Once every data key is re-wrapped the old key is retired: re-wrapped keys still open, old wrappings do not.
        MasterKey retired = MasterKey.from(MasterKey.retireAllButPrimary(rotated));
        assertThat(retired.primaryKeyId()).isEqualTo(current.primaryKeyId());
        assertThat(retired.unwrap(rewrapped, CUSTOMER).equalsKeyset(dataKey)).isTrue();
        assertThatThrownBy(() -> retired.unwrap(wrappedByOld, CUSTOMER)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void aWrappedKeyOpensOnlyForItsCustomer() throws Exception {
        MasterKey master = MasterKey.from(TestMasterKey.BASE64);
        byte[] wrapped = master.wrap(dataKey(), CUSTOMER);

        assertThatThrownBy(() -> master.unwrap(wrapped, "mallory".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void generatesAThrowawayKeyOnlyWhenAskedTo() {
        assertThat(MasterKey.from(MasterKey.GENERATE_FOR_DEVELOPMENT).generated()).isTrue();
        assertThat(MasterKey.from(TestMasterKey.BASE64).generated()).isFalse();
    }

    @Test
    void aValueThatIsNoKeysetFailsNamingThePropertyButNotTheValue() {
        assertThatThrownBy(() -> MasterKey.from("c2VjcmV0LXBhc3N3b3Jk"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("polystore.personal-data.master-key")
                .hasMessageNotContaining("c2VjcmV0LXBhc3N3b3Jk");
        assertThatThrownBy(() -> MasterKey.from("not base64 at all!")).isInstanceOf(IllegalArgumentException.class);
    }

    private static KeysetHandle dataKey() throws GeneralSecurityException {
        return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    }
}
