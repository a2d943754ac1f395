package io.polystore.catalog;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** The service's own settings, its clock and its scheduled work (the reservation sweep). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogServiceConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
