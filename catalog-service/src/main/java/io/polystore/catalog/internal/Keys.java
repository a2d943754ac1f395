package io.polystore.catalog.internal;

import java.security.SecureRandom;

/** New record keys: 20 random lower-case letters and digits, like the ones SurrealDB makes. */
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
}
