package io.polystore.gateway.identity.internal;

import java.util.regex.Pattern;

/**
 * Refuses passwords and client secrets that are not stored as strong, salted, slow hashes in Spring Security's
 * {@code {id}hash} form: bcrypt (cost 10 or more), argon2, scrypt or PBKDF2 with current parameters.
 */
public final class PasswordHashes {

    private static final Pattern BCRYPT = Pattern.compile("\\{bcrypt}\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private static final int MIN_BCRYPT_COST = 10;

    private PasswordHashes() {
    }

    /** @throws IllegalStateException naming {@code property} when the hash is weak, plain or malformed */
    public static String requireStrong(String property, String hash) {
        var bcrypt = BCRYPT.matcher(hash);
        if (bcrypt.matches()) {
            if (Integer.parseInt(bcrypt.group(1)) < MIN_BCRYPT_COST) {
                throw new IllegalStateException(property + ": bcrypt cost must be at least " + MIN_BCRYPT_COST);
            }
            return hash;
        }
        if (hash.startsWith("{pbkdf2@SpringSecurity_v5_8}")) {
            return hash;
        }
        // Argon2 and scrypt use BouncyCastle, which Spring Cloud brings along.
        if (hash.startsWith("{argon2") || hash.startsWith("{scrypt")) {
            return hash;
        }
        throw new IllegalStateException(property + ": must be a strong password hash such as {bcrypt}$2a$12$..., "
                + "never a plain or weakly hashed value; htpasswd -nbBC 12 '' 'the-secret' | tr -d ':\\n' gives the part after {bcrypt}");
    }
}
