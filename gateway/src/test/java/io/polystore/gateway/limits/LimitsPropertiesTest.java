package io.polystore.gateway.limits;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Allowed origins are named exactly: a wildcard or a URL with a path stops the gateway at start-up. */
class LimitsPropertiesTest {

    @Test
    void takesOriginsWithSchemeHostAndPort() {
        assertThat(cors("https://shop.example", "http://localhost:3000").allowedOrigins())
                .containsExactly("https://shop.example", "http://localhost:3000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "https://*.example", "https://shop.example/", "https://shop.example/app", "shop.example",
            "ftp://shop.example", "https://shop.example?x=1"})
    void refusesWhatIsNotAnOrigin(String origin) {
        assertThatThrownBy(() -> cors(origin))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("polystore.gateway.limits.cors.allowed-origins")
                .hasMessageContaining("scheme://host[:port]");
    }

    private static LimitsProperties.Cors cors(String... origins) {
        return new LimitsProperties.Cors(List.of(origins), List.of("GET"), List.of("Authorization"), List.of("Location"),
                Duration.ofHours(1));
    }
}
