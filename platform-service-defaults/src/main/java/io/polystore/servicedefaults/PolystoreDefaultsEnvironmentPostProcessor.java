package io.polystore.servicedefaults;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Adds {@code polystore-defaults.properties} behind every other property source, so each service may override. */
public class PolystoreDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "polystoreDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment.getPropertySources().addLast(
                    new ResourcePropertySource(SOURCE_NAME, new ClassPathResource("polystore-defaults.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException("polystore-defaults.properties is missing from platform-service-defaults", e);
        }
    }
}
