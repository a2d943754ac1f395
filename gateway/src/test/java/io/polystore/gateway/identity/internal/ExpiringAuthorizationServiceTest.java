package io.polystore.gateway.identity.internal;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiringAuthorizationServiceTest {

    static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    static final RegisteredClient CLIENT = RegisteredClient.withId("web").clientId("web")
            .clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
            .redirectUri("https://app.example/cb").build();

    final MutableClock clock = new MutableClock();
    final ExpiringAuthorizationService service = new ExpiringAuthorizationService(clock, 3);

    @Test
    void findsASignInInProgressByStateThenByCode() {
        service.save(pending("a1", "state-1"));
        service.save(withCode("a1", "state-1", "code-1"));

        assertThat(service.findByToken("state-1", STATE)).extracting(OAuth2Authorization::getId).isEqualTo("a1");
        assertThat(service.findByToken("code-1", CODE)).extracting(OAuth2Authorization::getId).isEqualTo("a1");
        assertThat(service.findByToken("code-1", OAuth2TokenType.ACCESS_TOKEN)).isNull();
        assertThat(service.findById("a1")).isNotNull();
    }

    @Test
    void findsTokensByTheirTypeAndForgetsTheOldOnesAfterRotation() {
        service.save(withTokens("a1", "access-1", "refresh-1"));
        service.save(withTokens("a1", "access-2", "refresh-2"));

        assertThat(service.findByToken("refresh-2", OAuth2TokenType.REFRESH_TOKEN)).isNotNull();
        assertThat(service.findByToken("access-2", null)).isNotNull();
        assertThat(service.findByToken("refresh-1", OAuth2TokenType.REFRESH_TOKEN)).isNull();
        assertThat(service.findByToken("access-2", OAuth2TokenType.REFRESH_TOKEN)).isNull();
    }

    @Test
    void keepsNoClientCredentialsGrants() {
        service.save(OAuth2Authorization.withRegisteredClient(CLIENT).id("m1").principalName("machine")
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "machine-access", clock.instant(),
                        clock.instant().plusSeconds(900)))
                .build());

        assertThat(service.size()).isZero();
    }

    @Test
    void forgetsAuthorizationsOnceEveryTokenHasExpired() {
        service.save(withTokens("a1", "access-1", "refresh-1"));
        clock.advance(Duration.ofHours(9));

        assertThat(service.findByToken("refresh-1", OAuth2TokenType.REFRESH_TOKEN)).isNull();
        service.save(pending("a2", "state-2"));
        assertThat(service.size()).isEqualTo(1);
    }

    @Test
    void staysWithinItsBoundByForgettingTheOldest() {
        for (int index = 1; index <= 4; index++) {
            service.save(pending("a" + index, "state-" + index));
        }

        assertThat(service.size()).isEqualTo(3);
        assertThat(service.findById("a1")).isNull();
        assertThat(service.findById("a4")).isNotNull();
    }

    @Test
    void removesOnRequest() {
        OAuth2Authorization authorization = withTokens("a1", "access-1", "refresh-1");
        service.save(authorization);

        service.remove(authorization);

        assertThat(service.findByToken("access-1", null)).isNull();
    }

    private OAuth2Authorization.Builder base(String id) {
        return OAuth2Authorization.withRegisteredClient(CLIENT).id(id).principalName("alice")
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE).authorizedScopes(Set.of("openid"));
    }

    private OAuth2Authorization pending(String id, String state) {
        return base(id).attribute(OAuth2ParameterNames.STATE, state).build();
    }

    private OAuth2Authorization withCode(String id, String state, String code) {
        return base(id).attribute(OAuth2ParameterNames.STATE, state)
                .token(new OAuth2AuthorizationCode(code, clock.instant(), clock.instant().plusSeconds(120))).build();
    }

    private OAuth2Authorization withTokens(String id, String access, String refresh) {
        Instant now = clock.instant();
        return base(id)
                .token(new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, access, now, now.plusSeconds(900)))
                .token(new OAuth2RefreshToken(refresh, now, now.plus(Duration.ofHours(8))))
                .build();
    }

    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
