package io.polystore.servicedefaults.observability;

import io.polystore.servicedefaults.PolystoreDefaultsEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A share of traces in production, every trace on the local platform; a service's own setting still wins. */
class TracingSamplingDefaultsTest {

    private static final String PROBABILITY = "management.tracing.sampling.probability";

    @Test
    void withoutAProfileOneTraceInTenIsSampled() {
        assertThat(environment(Map.of()).getProperty(PROBABILITY)).isEqualTo("0.1");
    }

    @Test
    void theLocalProfileSamplesEveryTrace() {
        assertThat(environment(Map.of(), "local").getProperty(PROBABILITY)).isEqualTo("1.0");
    }

    @Test
    void aServicesOwnSettingWinsOverTheProfilesDefault() {
        assertThat(environment(Map.of(PROBABILITY, "0.5"), "local").getProperty(PROBABILITY)).isEqualTo("0.5");
    }

    private static StandardEnvironment environment(Map<String, Object> properties, String... profiles) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.setActiveProfiles(profiles);
        environment.getPropertySources().addFirst(new MapPropertySource("service", properties));
        new PolystoreDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment;
    }
}
