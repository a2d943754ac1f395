package io.polystore.gateway.access;

import io.polystore.gateway.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules are checked when the gateway starts: a wrong rule stops it with the reason. */
class AccessPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AccessProperties.class)
    static class Rules {
    }

    final ApplicationContextRunner gateway = new ApplicationContextRunner().withUserConfiguration(Rules.class);

    @Test
    void bindsRulesInTheirOrder() {
        gateway.withPropertyValues(
                        "polystore.gateway.access.rules[0].methods=GET,HEAD",
                        "polystore.gateway.access.rules[0].paths=/api/catalog/**",
                        "polystore.gateway.access.rules[0].roles=CUSTOMER,ADMIN",
                        "polystore.gateway.access.rules[1].paths=/actuator/health",
                        "polystore.gateway.access.rules[1].anonymous=true")
                .run(context -> {
                    AccessProperties access = context.getBean(AccessProperties.class);
                    assertThat(access.rules().getFirst().methods()).containsExactly(HttpMethod.GET, HttpMethod.HEAD);
                    assertThat(access.rules().getFirst().roles()).containsExactlyInAnyOrder(Role.CUSTOMER, Role.ADMIN);
                    assertThat(access.rules().get(1).anonymous()).isTrue();
                    assertThat(access.rules().get(1).methods()).isEmpty();
                });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "roles=ADMIN             | anonymous=true      | a rule names roles or is anonymous",
            "anonymous=false         | methods=GET         | a rule names roles or is anonymous",
            "roles=SUPERUSER         | methods=GET         | SUPERUSER",
            "roles=ADMIN             | methods=FETCH       | Unknown HTTP method 'FETCH'",
            "roles=ADMIN             | paths=api/orders    | must start with /"})
    void refusesAWrongRule(String first, String second, String reason) {
        gateway.withPropertyValues("polystore.gateway.access.rules[0].paths=/api/orders/**",
                        "polystore.gateway.access.rules[0]." + first, "polystore.gateway.access.rules[0]." + second)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure()).hasStackTraceContaining(reason);
                });
    }

    @Test
    void refusesNoRulesAtAll() {
        gateway.run(context -> assertThat(context).hasFailed());
    }
}
