package io.polystore.gateway.account;

import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.Map;

/**
 * What the gateway's Flyway migrations learn from its configuration: {@code ${region}}, this gateway's region, where
 * the accounts that existed before regions are homed (V5). Whether or not the gateway issues tokens: the schema is
 * the same with an external issuer.
 */
@Configuration(proxyBeanMethods = false)
class AccountSchema {

    /** The placeholder's name in the migrations. */
    static final String REGION_PLACEHOLDER = "region";

    @Bean
    FlywayConfigurationCustomizer regionPlaceholder(RegionProperties region) {
        return flyway -> flyway.placeholders(withRegion(flyway.getPlaceholders(), region.name()));
    }

    /** {@code placeholders} and the region: Flyway's setter replaces them all. */
    private static Map<String, String> withRegion(Map<String, String> placeholders, String region) {
        Map<String, String> all = new HashMap<>(placeholders);
        all.put(REGION_PLACEHOLDER, region);
        return all;
    }
}
