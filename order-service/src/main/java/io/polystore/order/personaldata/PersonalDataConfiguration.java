package io.polystore.order.personaldata;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PersonalDataProperties.class)
class PersonalDataConfiguration {

    private static final Logger log = LoggerFactory.getLogger(PersonalDataConfiguration.class);

    @Bean
    MasterKey masterKey(PersonalDataProperties properties) {
        MasterKey masterKey = MasterKey.from(properties.masterKey());
        if (masterKey.generated()) {
            log.warn("Personal data is encrypted under a throwaway master key ({}): it becomes unreadable when this "
                    + "process stops. Never use this outside a developer machine or a test.", MasterKey.GENERATE_FOR_DEVELOPMENT);
        }
        return masterKey;
    }

    @Bean
    @ConditionalOnProperty("polystore.personal-data.erasure-log")
    ErasureLog erasureLog(PersonalDataProperties properties) {
        return new ErasureLog(properties.erasureLog());
    }

    /** Before the service takes traffic: no erased customer's key survives a restore of the database. */
    @Bean
    @ConditionalOnProperty("polystore.personal-data.erasure-log")
    ApplicationRunner erasureReplay(PersonalDataVault vault, ErasureLog erasureLog) {
        return arguments -> {
            int erased = vault.eraseAgainFromLog();
            if (erased > 0) {
                log.warn("Erased {} customer keys again from the erasure log {}: the database was restored to a point "
                        + "before their erasure", erased, erasureLog.file());
            }
        };
    }
}
