package io.polystore.gateway.account;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHashesTest {

    @Test
    void acceptsABcryptHashOfCostTwelveOrMore() {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(12).encode("secret");

        assertThat(PasswordHashes.requireStrong("p", hash)).isEqualTo(hash);
    }

    @Test
    void refusesACheapBcryptHash() {
        String hash = "{bcrypt}" + new BCryptPasswordEncoder(10).encode("secret");

        assertThatThrownBy(() -> PasswordHashes.requireStrong("seed.alice.password", hash))
                .hasMessage("seed.alice.password: bcrypt cost must be at least 12");
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret", "{noop}secret", "{MD5}5ebe2294ecd0e0f08eab7690d2a6ee69",
            "{sha256}97c1c8e5b0b2", "{bcrypt}not-a-hash", "$2a$10$abcdefghijklmnopqrstuu5H6nTtZ1uGlJ2zZgY3G2dJ9b0d4fRmC"})
    void refusesPlainWeakOrMalformedValues(String value) {
        assertThatThrownBy(() -> PasswordHashes.requireStrong("clients.app.secret", value))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("clients.app.secret: must be a strong password hash");
    }

    @Test
    void acceptsAnArgon2Hash() {
        String hash = "{argon2@SpringSecurity_v5_8}" + Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("secret");

        assertThat(PasswordHashes.requireStrong("p", hash)).isEqualTo(hash);
    }

    @Test
    void hashesNewPasswordsWithBcryptOfCostTwelveAndChecksTheOtherStrongHashes() {
        PasswordEncoder encoder = PasswordHashes.encoder();
        String argon2 = "{argon2@SpringSecurity_v5_8}" + Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8().encode("secret");

        String hash = encoder.encode("a long enough secret");

        assertThat(hash).startsWith("{bcrypt}$2a$12$");
        assertThat(PasswordHashes.requireStrong("p", hash)).isEqualTo(hash);
        assertThat(encoder.matches("a long enough secret", hash)).isTrue();
        assertThat(encoder.matches("secret", argon2)).isTrue();
    }
}
