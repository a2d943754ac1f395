package io.polystore.testkit.jwt;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;

import java.time.Instant;
import java.util.Date;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestTokenIssuerTest {

    private static TestTokenIssuer issuer;
    private static JwtDecoder decoder;

    @BeforeAll
    static void start() {
        issuer = TestTokenIssuer.start();
        // Discovery through the issuer URI, as a service configured with only the issuer would do it.
        decoder = JwtDecoders.fromIssuerLocation(issuer.issuer());
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Test
    void mintsTokensThatVerifyAgainstThePublishedKey() {
        Jwt jwt = decoder.decode(issuer.tokenFor("alice", "CUSTOMER", "AUDITOR"));

        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(jwt.getClaimAsStringList(TestTokenIssuer.ROLES_CLAIM)).containsExactly("CUSTOMER", "AUDITOR");
        assertThat(jwt.getAudience()).containsExactly(TestTokenIssuer.AUDIENCE);
        assertThat(jwt.getIssuer()).hasToString(issuer.issuer());
    }

    @Test
    void expiredTokensAndForeignKeysAreRejected() {
        Instant hourAgo = Instant.now().minusSeconds(3600);
        String expired = issuer.token(claims -> claims.issueTime(Date.from(hourAgo)).notBeforeTime(Date.from(hourAgo))
                .expirationTime(Date.from(Instant.now().minusSeconds(120))));

        assertThatThrownBy(() -> decoder.decode(expired)).isInstanceOf(BadJwtException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> decoder.decode(issuer.tokenSignedByUnknownKey("mallory", "ADMIN")))
                .isInstanceOf(BadJwtException.class);
    }
}
