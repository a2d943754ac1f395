package io.polystore.catalog.internal;

import io.polystore.surrealdb.RecordId;

import java.security.SecureRandom;

/**
 * Record keys, which the API shows as ids: new ones, 20 random lower-case letters and digits like the ones SurrealDB
 * makes, and the key of a record id read from the store.
 */
public final class Keys {

    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    public static String newKey() {
        char[] key = new char[20];
        key[0] = ALPHABET[RANDOM.nextInt(26)];
        for (int i = 1; i < key.length; i++) {
            key[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(key);
    }

    /** The key of {@code id}, the id the API shows. */
    public static String of(RecordId id) {
        return String.valueOf(id.key());
    }
}
