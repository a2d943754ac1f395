package io.polystore.order.residency;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HomeRegionRuleTest {

    private final HomeRegionRule rule = new HomeRegionRule("region-1");

    @Test
    void refusesTheCallersOwnDataWhenTheirTokenNamesAnotherRegion() {
        assertThatThrownBy(() -> rule.check(caller("alice", claims -> claims.claim("region", "region-2")), "alice"))
                .isInstanceOfSatisfying(CustomerHomedElsewhereException.class, elsewhere -> {
                    assertThat(elsewhere.homeRegion()).isEqualTo("region-2");
                    assertThat(elsewhere.region()).isEqualTo("region-1");
                });
    }

    @Test
    void servesThisRegionsCustomersTokensWithoutTheClaimAndCallersActingForOthers() {
        assertThatCode(() -> rule.check(caller("alice", claims -> claims.claim("region", "region-1")), "alice"))
                .doesNotThrowAnyException();
        assertThatCode(() -> rule.check(caller("alice", claims -> { }), "alice")).doesNotThrowAnyException();
        assertThatCode(() -> rule.check(caller("root", claims -> claims.claim("region", "region-2")), "alice"))
                .doesNotThrowAnyException();
    }

    private static JwtAuthenticationToken caller(String subject, Consumer<Jwt.Builder> claims) {
        Jwt.Builder token = Jwt.withTokenValue("token").header("alg", "RS256").subject(subject);
        claims.accept(token);
        return new JwtAuthenticationToken(token.build());
    }
}
