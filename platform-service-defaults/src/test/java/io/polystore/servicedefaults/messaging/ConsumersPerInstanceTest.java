package io.polystore.servicedefaults.messaging;

import io.polystore.servicedefaults.PolystoreDefaultsEnvironmentPostProcessor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Each instance of a service runs its share of its consumer group's consumers: one per partition over all instances. */
class ConsumersPerInstanceTest {

    @Test
    void oneInstanceRunsAConsumerPerPartition() {
        assertThat(concurrency(Map.of())).isEqualTo("6");
        assertThat(concurrency(Map.of("polystore.kafka.partitions", "3"))).isEqualTo("3");
    }

    @Test
    void severalInstancesShareThePartitionsRoundedUp() {
        assertThat(concurrency(Map.of("polystore.kafka.instances", "2"))).isEqualTo("3");
        assertThat(concurrency(Map.of("polystore.kafka.instances", "4"))).isEqualTo("2");
        assertThat(concurrency(Map.of("polystore.kafka.partitions", "3", "polystore.kafka.instances", "2"))).isEqualTo("2");
        assertThat(concurrency(Map.of("polystore.kafka.instances", "9"))).isEqualTo("1");
    }

    @Test
    void aServicesOwnConcurrencyWins() {
        assertThat(concurrency(Map.of("polystore.kafka.instances", "2", "spring.kafka.listener.concurrency", "1")))
                .isEqualTo("1");
    }

    /** Left to the binding of {@link MessagingProperties}, which stops the start naming the setting. */
    @Test
    void aSettingThatIsNoPositiveNumberSetsNothing() {
        assertThat(concurrency(Map.of("polystore.kafka.instances", "0"))).isNull();
        assertThat(concurrency(Map.of("polystore.kafka.instances", "two"))).isNull();
        assertThat(concurrency(Map.of("polystore.kafka.partitions", "-1"))).isNull();
    }

    @Test
    void instancesBelowOneStopTheStartNamingTheSetting() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
                .withUserConfiguration(MessagingPropertiesOnly.class)
                .withPropertyValues("polystore.kafka.instances=0")
                .run(started -> assertThat(started).getFailure().hasMessageContaining("polystore.kafka")
                        .rootCause().hasMessageContaining("instances"));
    }

    @EnableConfigurationProperties(MessagingProperties.class)
    static class MessagingPropertiesOnly {
    }

    private static String concurrency(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        new PolystoreDefaultsEnvironmentPostProcessor().postProcessEnvironment(environment, new SpringApplication());
        return environment.getProperty("spring.kafka.listener.concurrency");
    }
}
