package io.polystore.surrealdb.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    @Test
    void readsTheExpiryOfAJwt() {
        assertThat(BearerToken.expiry(jwt(NOW.plusSeconds(3600)))).isEqualTo(NOW.plusSeconds(3600));
        assertThat(BearerToken.expiry("not-a-jwt")).isNull();
        assertThat(BearerToken.expiry("a.%%%.c")).isNull();
    }

    @Test
    void renewsATenthOfTheLifetimeBeforeExpiry() {
        assertThat(BearerToken.renewalTime(jwt(NOW.plusSeconds(3600)), NOW)).isEqualTo(NOW.plusSeconds(3240));
        assertThat(BearerToken.renewalTime("opaque", NOW)).isEqualTo(NOW.plus(BearerToken.FALLBACK_LIFETIME));
        assertThat(BearerToken.renewalTime(jwt(NOW.minusSeconds(1)), NOW)).isEqualTo(NOW);
    }

    @Test
    void signsInOnceUntilTheTokenIsDueThenAgain() {
        MutableClock clock = new MutableClock(NOW);
        List<String> issued = new ArrayList<>();
        BearerToken token = new BearerToken(() -> {
            String fresh = jwt(clock.instant().plusSeconds(3600));
            issued.add(fresh);
            return fresh;
        }, clock);

        String first = token.current();
        clock.advance(Duration.ofMinutes(50));
        assertThat(token.current()).isEqualTo(first);
        clock.advance(Duration.ofMinutes(5));
        String second = token.current();

        assertThat(issued).hasSize(2);
        assertThat(second).isNotEqualTo(first).isEqualTo(issued.get(1));
    }

    @Test
    void signsInAgainAfterTheServerRefusedTheToken() {
        MutableClock clock = new MutableClock(NOW);
        List<String> issued = new ArrayList<>();
        BearerToken token = new BearerToken(() -> {
            clock.advance(Duration.ofSeconds(1));
            String fresh = jwt(clock.instant().plusSeconds(3600));
            issued.add(fresh);
            return fresh;
        }, clock);

        String refused = token.current();
        token.invalidate("some older token");
        assertThat(token.current()).isEqualTo(refused);
        token.invalidate(refused);

        assertThat(token.current()).isNotEqualTo(refused);
        assertThat(issued).hasSize(2);
    }

    private static String jwt(Instant expiry) {
        Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
        String header = base64.encodeToString("{\"alg\":\"HS512\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        String claims = base64.encodeToString(("{\"iat\":1,\"exp\":" + expiry.getEpochSecond() + ",\"ID\":\"root\"}")
                .getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + ".c2lnbmF0dXJl";
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
