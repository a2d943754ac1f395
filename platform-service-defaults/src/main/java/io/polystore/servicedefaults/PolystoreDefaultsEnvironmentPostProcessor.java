package io.polystore.servicedefaults;

import io.polystore.servicedefaults.tls.TlsProperties;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.support.ResourcePropertySource;
import org.springframework.util.StringUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adds {@code polystore-defaults.properties} behind every other property source, so each service may override; in
 * front of it {@code polystore-defaults-<profile>.properties} for each active profile that has one (the {@code local}
 * profile's, for instance, samples every trace); and, when {@code polystore.tls.bundle} names an SSL bundle, that
 * bundle as the default of every hop's bundle setting ({@link TlsProperties#BUNDLE_USERS}), just in front of the
 * defaults.
 */
public class PolystoreDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "polystoreDefaults";
    static final String TLS_SOURCE_NAME = "polystoreTlsDefaults";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            environment.getPropertySources().addLast(
                    new ResourcePropertySource(SOURCE_NAME, new ClassPathResource("polystore-defaults.properties")));
            for (String profile : environment.getActiveProfiles()) {
                ClassPathResource profileDefaults = new ClassPathResource("polystore-defaults-" + profile + ".properties");
                if (profileDefaults.exists()) {
                    environment.getPropertySources().addBefore(SOURCE_NAME,
                            new ResourcePropertySource(SOURCE_NAME + "-" + profile, profileDefaults));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("polystore-defaults.properties is unreadable in platform-service-defaults", e);
        }
        String bundle = environment.getProperty(TlsProperties.BUNDLE);
        if (StringUtils.hasText(bundle)) {
            Map<String, Object> tls = new LinkedHashMap<>();
            TlsProperties.BUNDLE_USERS.forEach(setting -> tls.put(setting, bundle.strip()));
            environment.getPropertySources().addBefore(SOURCE_NAME, new MapPropertySource(TLS_SOURCE_NAME, tls));
        }
    }
}
