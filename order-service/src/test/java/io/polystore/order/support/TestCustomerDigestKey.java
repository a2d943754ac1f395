package io.polystore.order.support;

import io.polystore.events.CustomerDigest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The customer digest key of the tests: the {@code local} profile's development value, so that the test application
 * and a region started by {@code ./polystore} compute the same digests.
 */
public final class TestCustomerDigestKey {

    public static final String BASE64 = "svcr2P1S6OrcIdLSMG5gLiRRD3strwdC1UHuO4qvw6o=";

    /** The keyed digest of the customer's id, as the application configured with this key computes it. */
    public static String digest(String customerId) {
        return new CustomerDigest(Base64.getDecoder().decode(BASE64)).of(customerId);
    }

    /** The plain SHA-256 of the customer's id: the customer key of the records published before migration V4. */
    public static String unkeyedDigest(String customerId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(customerId.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestCustomerDigestKey() {
    }
}
