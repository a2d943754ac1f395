package io.polystore.servicedefaults.security;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenRulesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final Duration SKEW = Duration.ofSeconds(5);

    private final OAuth2TokenValidator<Jwt> timeWindow = TokenRules.timeWindow(SKEW, CLOCK);
    private final OAuth2TokenValidator<Jwt> issuedAt = TokenRules.issuedAt(SKEW, CLOCK);

    @Test
    void aTokenWithoutExpiryIsRefused() {
        assertThat(timeWindow.validate(token(claims -> claims.remove("exp"))).hasErrors()).isTrue();
    }

    @Test
    void expiryAndNotBeforeAreHeldToTheSkewNotToAMinute() {
        assertThat(timeWindow.validate(token(claims -> claims.put("exp", NOW.minusSeconds(4)))).hasErrors()).isFalse();
        assertThat(timeWindow.validate(token(claims -> claims.put("exp", NOW.minusSeconds(10)))).hasErrors()).isTrue();
        assertThat(timeWindow.validate(token(claims -> claims.put("nbf", NOW.plusSeconds(4)))).hasErrors()).isFalse();
        assertThat(timeWindow.validate(token(claims -> claims.put("nbf", NOW.plusSeconds(10)))).hasErrors()).isTrue();
        assertThat(timeWindow.validate(token(claims -> claims.remove("nbf"))).hasErrors()).isFalse();
    }

    @Test
    void aTokenIssuedInTheFutureIsRefused() {
        assertThat(issuedAt.validate(token(claims -> claims.put("iat", NOW.plusSeconds(4)))).hasErrors()).isFalse();
        assertThat(issuedAt.validate(token(claims -> claims.put("iat", NOW.plusSeconds(60)))).hasErrors()).isTrue();
        assertThat(issuedAt.validate(token(claims -> claims.remove("iat"))).hasErrors()).isFalse();
    }

    @Test
    void theFullSetChecksIssuerAndAudience() {
        OAuth2TokenValidator<Jwt> rules = TokenRules.forIssuer("https://id.example", SKEW);
        Instant now = Instant.now();
        Consumer<java.util.Map<String, Object>> current = claims -> {
            claims.put("iat", now);
            claims.put("nbf", now);
            claims.put("exp", now.plusSeconds(300));
        };

        assertThat(rules.validate(token(current)).hasErrors()).isFalse();
        assertThat(rules.validate(token(current.andThen(claims -> claims.put("iss", "https://evil.example")))).hasErrors()).isTrue();
        assertThat(rules.validate(token(current.andThen(claims -> claims.put("aud", List.of("account"))))).hasErrors()).isTrue();
        assertThat(rules.validate(token(current.andThen(claims -> claims.remove("aud")))).hasErrors()).isTrue();
        assertThat(rules.validate(token(current.andThen(claims -> claims.remove("exp")))).hasErrors()).isTrue();
    }

    @Test
    void theSkewIsBounded() {
        assertThat(new TokenProperties(Duration.ofSeconds(30)).clockSkew()).hasSeconds(30);
        assertThatThrownBy(() -> new TokenProperties(Duration.ofMinutes(1))).hasMessageContaining("between 0 and 30 s");
        assertThatThrownBy(() -> new TokenProperties(Duration.ofSeconds(-1))).hasMessageContaining("clock-skew");
    }

    private static Jwt token(Consumer<java.util.Map<String, Object>> change) {
        return Jwt.withTokenValue("token").header("alg", "RS256").claims(claims -> {
            claims.put("iss", "https://id.example");
            claims.put("sub", "alice");
            claims.put("aud", List.of(TokenRules.AUDIENCE));
            claims.put("iat", NOW.minusSeconds(60));
            claims.put("nbf", NOW.minusSeconds(60));
            claims.put("exp", NOW.plusSeconds(300));
            change.accept(claims);
        }).build();
    }
}
