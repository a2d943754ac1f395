package io.polystore.servicedefaults;

import io.polystore.servicedefaults.messaging.MessagingProperties;
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
import java.util.Optional;

/**
 * Adds {@code polystore-defaults.properties} behind every other property source, so each service may override; in
 * front of it {@code polystore-defaults-<profile>.properties} for each active profile that has one (the {@code local}
 * profile's, for instance, samples every trace); and, when {@code polystore.tls.bundle} names an SSL bundle, that
 * bundle as the default of every hop's bundle setting ({@link TlsProperties#BUNDLE_USERS}), just in front of the
 * defaults; and there too the listeners' consumers per instance, the topics' partitions shared out over the service's
 * instances ({@code polystore.kafka.partitions} over {@code polystore.kafka.instances}, rounded up), so that every
 * consumer has a partition to read.
 */
public class PolystoreDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "polystoreDefaults";
    static final String TLS_SOURCE_NAME = "polystoreTlsDefaults";
    static final String CONSUMERS_SOURCE_NAME = "polystoreKafkaConsumers";
    static final String LISTENER_CONCURRENCY = "spring.kafka.listener.concurrency";

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
        consumersPerInstance(environment).ifPresent(consumers -> environment.getPropertySources().addBefore(SOURCE_NAME,
                new MapPropertySource(CONSUMERS_SOURCE_NAME, Map.of(LISTENER_CONCURRENCY, consumers))));
    }

    /**
     * A consumer beyond the partitions its group has idles, polling all the same (issue 15: two instances of six
     * consumers each for six partitions cost catalog-service 11 % of a core idle, with three each 5 %). Empty when
     * either setting is no positive number: {@code MessagingProperties} then stops the start naming it.
     */
    private static Optional<Integer> consumersPerInstance(ConfigurableEnvironment environment) {
        try {
            int partitions = Integer.parseInt(environment.getProperty(MessagingProperties.PARTITIONS,
                    MessagingProperties.DEFAULT_PARTITIONS).strip());
            int instances = Integer.parseInt(environment.getProperty(MessagingProperties.INSTANCES,
                    MessagingProperties.DEFAULT_INSTANCES).strip());
            return partitions > 0 && instances > 0 ? Optional.of(Math.ceilDiv(partitions, instances)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
