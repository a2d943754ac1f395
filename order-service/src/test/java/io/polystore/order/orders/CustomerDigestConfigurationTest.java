package io.polystore.order.orders;

import io.polystore.events.CustomerDigest;
import io.polystore.order.support.TestCustomerDigestKey;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;

import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CustomerDigestConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(CustomerDigestConfiguration.class);

    @Test
    void startUpFailsWithAClearMessageWithoutAKey() {
        context.run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("polystore.orders.customer-digest-key is missing: set it to the base64 of at"
                            + " least 32 random bytes");
        });
    }

    @Test
    void startUpFailsNamingThePropertyWhenTheKeyIsNotBase64() {
        context.withPropertyValues("polystore.orders.customer-digest-key=not base64!").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("polystore.orders.customer-digest-key is not base64")
                    .hasMessageNotContaining("not base64!");
        });
    }

    @Test
    void startUpFailsNamingThePropertyWhenTheKeyIsTooShort() {
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        context.withPropertyValues("polystore.orders.customer-digest-key=" + sixteenBytes).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("polystore.orders.customer-digest-key is 16 bytes long: it must be the base64 of at"
                            + " least 32 random bytes (openssl rand -base64 32)");
        });
    }

    @Test
    void theDigestIsTheHmacUnderTheConfiguredKey() {
        context.withPropertyValues("polystore.orders.customer-digest-key=" + TestCustomerDigestKey.BASE64)
                .run(started -> assertThat(started.getBean(CustomerDigest.class).of("alice")).isEqualTo(
                        new CustomerDigest(Base64.getDecoder().decode(TestCustomerDigestKey.BASE64)).of("alice")));
    }

    @Test
    void theKeyIsNotShownWithTheProperties() {
        assertThat(new CustomerDigestProperties(TestCustomerDigestKey.BASE64).toString())
                .doesNotContain(TestCustomerDigestKey.BASE64);
    }
}
