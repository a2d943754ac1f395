package io.polystore.gateway.identity.internal;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CachingJwtDecoderTest {

    final MutableClock clock = new MutableClock();
    final AtomicInteger decoded = new AtomicInteger();

    @Test
    void checksAnAcceptedTokenOnceWhileItIsValid() {
        CachingJwtDecoder decoder = decoder(Duration.ofMinutes(5));

        Jwt first = decoder.decode("good");
        Jwt again = decoder.decode("good");

        assertThat(again).isSameAs(first);
        assertThat(decoded).hasValue(1);
    }

    @Test
    void checksAgainOnceTheRememberedTokenHasExpired() {
        CachingJwtDecoder decoder = decoder(Duration.ofMinutes(5));
        decoder.decode("good");
        clock.advance(Duration.ofMinutes(16));

        assertThatThrownBy(() -> decoder.decode("good")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
    }

    @Test
    void neverRemembersARefusal() {
        CachingJwtDecoder decoder = decoder(Duration.ofMinutes(5));

        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThatThrownBy(() -> decoder.decode("forged")).isInstanceOf(BadJwtException.class);
        assertThat(decoded).hasValue(2);
    }

    private CachingJwtDecoder decoder(Duration maxAge) {
        Instant issued = clock.instant();
        return new CachingJwtDecoder(token -> {
            decoded.incrementAndGet();
            if (token.equals("forged") || clock.instant().isAfter(issued.plus(Duration.ofMinutes(15)))) {
                throw new BadJwtException("refused");
            }
            return Jwt.withTokenValue(token).header("alg", "RS256").subject("alice")
                    .issuedAt(issued).expiresAt(issued.plus(Duration.ofMinutes(15))).build();
        }, clock, 100, maxAge);
    }
}
