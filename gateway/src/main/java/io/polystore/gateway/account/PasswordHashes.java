package io.polystore.gateway.account;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.crypto.password.Pbkdf2PasswordEncoder;
import org.springframework.security.crypto.scrypt.SCryptPasswordEncoder;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the gateway stores passwords and client secrets: strong, salted, slow hashes in Spring Security's
 * {@code {id}hash} form. New hashes are bcrypt of cost {@value #BCRYPT_COST}; hashes given in configuration may also be
 * argon2, scrypt or PBKDF2 with current parameters, and anything weaker is refused.
 */
public final class PasswordHashes {

    /** bcrypt reads no more than this many bytes of a password; longer ones are refused rather than cut. */
    public static final int MAX_PASSWORD_BYTES = 72;
    static final int BCRYPT_COST = 12;

    private static final Pattern BCRYPT = Pattern.compile("\\{bcrypt}\\$2[aby]?\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

    private PasswordHashes() {
    }

    /** Hashes new passwords with bcrypt and checks the strong hashes {@link #requireStrong} lets in. */
    public static PasswordEncoder encoder() {
        // Argon2 and scrypt use BouncyCastle, which Spring Cloud brings along.
        return new DelegatingPasswordEncoder("bcrypt", Map.of(
                "bcrypt", new BCryptPasswordEncoder(BCRYPT_COST),
                "argon2@SpringSecurity_v5_8", Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "scrypt@SpringSecurity_v5_8", SCryptPasswordEncoder.defaultsForSpringSecurity_v5_8(),
                "pbkdf2@SpringSecurity_v5_8", Pbkdf2PasswordEncoder.defaultsForSpringSecurity_v5_8()));
    }

    /** @throws IllegalStateException naming {@code property} when the hash is weak, plain or malformed */
    public static String requireStrong(String property, String hash) {
        var bcrypt = BCRYPT.matcher(hash);
        if (bcrypt.matches()) {
            if (Integer.parseInt(bcrypt.group(1)) < BCRYPT_COST) {
                throw new IllegalStateException(property + ": bcrypt cost must be at least " + BCRYPT_COST);
            }
            return hash;
        }
        if (hash.startsWith("{pbkdf2@SpringSecurity_v5_8}") || hash.startsWith("{argon2@SpringSecurity_v5_8}")
                || hash.startsWith("{scrypt@SpringSecurity_v5_8}")) {
            return hash;
        }
        throw new IllegalStateException(property + ": must be a strong password hash such as {bcrypt}$2a$12$..., "
                + "never a plain or weakly hashed value; htpasswd -nbBC 12 '' 'the-secret' | tr -d ':\\n' gives the part after {bcrypt}");
    }
}
