package io.polystore.order.placement.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Recognises a retried order request: a SHA-256 over the currency and the lines, in order. Personal data is left
 * out on purpose, since a hash of it would outlive its erasure; retries compare it decrypted instead.
 */
public final class RequestFingerprint {

    /** One line of the request. */
    public record Line(String productId, int quantity) {
    }

    private RequestFingerprint() {
    }

    public static String of(String currency, List<Line> lines) {
        StringBuilder canonical = new StringBuilder(currency);
        for (Line line : lines) {
            // Lengths first, so that no product id can imitate a separator.
            canonical.append('\n').append(line.productId().length()).append(':').append(line.productId())
                    .append('x').append(line.quantity());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
