package io.polystore.audit.chain;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/**
 * The unambiguous byte form that hashes and signatures are computed over (the README specifies it): a
 * length-prefixed UTF-8 tag naming form and version, then each value in a fixed order. Numbers and times are
 * 8-byte big-endian (times as microseconds since the epoch, PostgreSQL's precision); texts and byte strings are a
 * 4-byte big-endian length and the bytes, null being the length -1. Nothing needs a key: ciphertexts enter as stored.
 */
public final class CanonicalForm {

    public static final int HASH_LENGTH = 32;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(512);

    public CanonicalForm(String tag) {
        text(tag);
    }

    public CanonicalForm int64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (value >>> shift));
        }
        return this;
    }

    public CanonicalForm instant(Instant value) {
        return int64(epochMicros(value));
    }

    public CanonicalForm text(String value) {
        return bytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public CanonicalForm bytes(byte[] value) {
        if (value == null) {
            int32(-1);
        } else {
            int32(value.length);
            out.writeBytes(value);
        }
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }

    public byte[] sha256() {
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    /** Microseconds since the epoch; the stored times are truncated to microseconds before they are hashed. */
    public static long epochMicros(Instant value) {
        return Math.addExact(Math.multiplyExact(value.getEpochSecond(), 1_000_000L), value.getNano() / 1_000L);
    }

    private void int32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
