package io.polystore.events;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CustomerDigestTest {

    @Test
    void theDigestIsHmacSha256InLowerCaseHex() {
        // RFC 4231, test case 6: a 131-byte key of 0xaa.
        byte[] key = new byte[131];
        Arrays.fill(key, (byte) 0xaa);

        assertThat(new CustomerDigest(key).of("Test Using Larger Than Block-Size Key - Hash Key First"))
                .isEqualTo("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    }

    @Test
    void theSameKeyGivesTheSameDigestAndAnotherKeyAnotherOne() {
        byte[] key = key(1);
        String digest = new CustomerDigest(key).of("alice");

        assertThat(new CustomerDigest(key.clone()).of("alice")).isEqualTo(digest);
        assertThat(new CustomerDigest(key(2)).of("alice")).isNotEqualTo(digest).matches("[0-9a-f]{64}");
        assertThat(new CustomerDigest(key).of("bob")).isNotEqualTo(digest);
    }

    @Test
    void theDigestIsNotThePlainSha256OfTheId() {
        // echo -n alice | sha256sum: what anyone could compute without the key.
        assertThat(new CustomerDigest(key(1)).of("alice"))
                .isNotEqualTo("2bd806c97f0e00af1a1fc3328fa763a9269723c8db8fac4f93af71db186d6e90");
    }

    @Test
    void aKeyShorterThan32BytesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CustomerDigest(new byte[31]))
                .withMessage("a customer digest key must have at least 32 bytes, not 31");
    }

    @Test
    void theKeyIsNeverShown() {
        assertThat(new CustomerDigest(key(7))).hasToString("CustomerDigest[HMAC-SHA256]");
    }

    @Test
    void aBlankCustomerIdIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CustomerDigest(key(1)).of(" "));
    }

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }
}
