package io.polystore.servicedefaults.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RememberedTokensTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final InstantSource clock = now::get;
    private final Instant expires = clock.instant().plus(Duration.ofMinutes(15));
    private final AtomicInteger verified = new AtomicInteger();

    @Test
    void verifiesAnAcceptedTokenOnceWhileItIsValid() {
        JwtDecoder decoder = remembering();

        Jwt first = decoder.decode("good");
        Jwt again = decoder.decode("good");

        assertThat(again).isSameAs(first);
        assertThat(verified).hasValue(1);
    }

    @Test
    void verifiesAgainAfterTheMaximumAge() {
        JwtDecoder decoder = remembering();
        decoder.decode("good");
        advance(RememberedTokens.MAX_AGE.plusSeconds(1));

        decoder.decode("good");

        assertThat(verified).hasValue(2);
    }

    @Test
    void neverServesATokenPastItsExpiry() {
        JwtDecoder decoder = new RememberedTokens(this::verify, clock, 100, Duration.ofHours(1));
        decoder.decode("good");
        advance(Duration.ofMinutes(15));

        assertThatThrownBy(() -> decoder.decode("good")).isInstanceOf(BadJwtException.class);
        assertThat(verified).hasValue(2);
    }

    @Test
    void neverRemembersARefusal() {
        JwtDecoder decoder = remembering();

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(verified).hasValue(2);
    }

    @Test
    void wrapsOnlyTheDecodersThatVerifyEveryToken() throws Exception {
        var keys = KeyPairGenerator.getInstance("RSA");
        keys.initialize(2048);
        NimbusJwtDecoder nimbus = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.generateKeyPair().getPublic()).build();
        var postProcessor = RememberedTokens.inFrontOfVerifyingDecoders();

        assertThat(postProcessor.postProcessAfterInitialization(nimbus, "jwtDecoder")).isInstanceOf(RememberedTokens.class);
        assertThat(postProcessor.postProcessAfterInitialization(new SupplierJwtDecoder(() -> nimbus), "jwtDecoder"))
                .isInstanceOf(RememberedTokens.class);
        JwtDecoder remembering = remembering();
        assertThat(postProcessor.postProcessAfterInitialization(remembering, "jwtDecoder")).isSameAs(remembering);
    }

    private void advance(Duration duration) {
        now.set(now.get().plus(duration));
    }

    private JwtDecoder remembering() {
        return new RememberedTokens(this::verify, clock, 100, RememberedTokens.MAX_AGE);
    }

    /** A verifier that counts its work: accepts "good" until it expires. */
    private Jwt verify(String token) {
        verified.incrementAndGet();
        if (!token.equals("good") || !clock.instant().isBefore(expires)) {
            throw new BadJwtException("refused");
        }
        return Jwt.withTokenValue(token).header("alg", "RS256").subject("alice")
                .issuedAt(expires.minus(Duration.ofMinutes(15))).expiresAt(expires).build();
    }
}
