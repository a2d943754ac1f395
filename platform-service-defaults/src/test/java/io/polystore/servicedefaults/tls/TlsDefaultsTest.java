package io.polystore.servicedefaults.tls;

import io.polystore.servicedefaults.PolystoreDefaultsEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** One setting, {@code polystore.tls.bundle}, is the default bundle of every hop; each hop may still say otherwise. */
class TlsDefaultsTest {

    @Test
    void theBundleIsTheDefaultOfEveryHop() {
        StandardEnvironment environment = environment(Map.of("polystore.tls.bundle", "polystore"));

        assertThat(TlsProperties.BUNDLE_USERS).allSatisfy(setting ->
                assertThat(environment.getProperty(setting)).as(setting).isEqualTo("polystore"));
    }

    @Test
    void aHopsOwnSettingWins() {
        StandardEnvironment environment = environment(Map.of("polystore.tls.bundle", "polystore",
                "server.ssl.bundle", "public-certificate"));

        assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("public-certificate");
        assertThat(environment.getProperty("spring.kafka.ssl.bundle")).isEqualTo("polystore");
    }

    @Test
    void withoutTheBundleNoHopUsesTls() {
        StandardEnvironment environment = environment(Map.of());

        assertThat(TlsProperties.BUNDLE_USERS).allSatisfy(setting ->
                assertThat(environment.getProperty(setting)).as(setting).isNull());
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new PolystoreDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
