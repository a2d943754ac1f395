package io.polystore.order.personaldata;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;

import static org.assertj.core.api.Assertions.assertThat;

class PersonalDataConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(PersonalDataConfiguration.class);

    @Test
    void startUpFailsWithAClearMessageWithoutAMasterKey() {
        context.run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause().isInstanceOf(BindValidationException.class)
                    .hasMessageContaining("polystore.personal-data.master-key")
                    .hasMessageContaining("is missing: set it to the base64 of a Tink AEAD keyset");
        });
    }

    @Test
    void aThrowawayKeyOnlyWhenThePropertySaysSo() {
        context.withPropertyValues("polystore.personal-data.master-key=" + MasterKey.GENERATE_FOR_DEVELOPMENT)
                .run(started -> assertThat(started.getBean(MasterKey.class).generated()).isTrue());
    }

    @Test
    void noErasureLogUnlessOneIsConfigured() {
        context.withPropertyValues("polystore.personal-data.master-key=" + MasterKey.GENERATE_FOR_DEVELOPMENT)
                .run(started -> assertThat(started).doesNotHaveBean(ErasureLog.class));
    }
}
