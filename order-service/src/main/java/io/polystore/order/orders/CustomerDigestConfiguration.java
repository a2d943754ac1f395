package io.polystore.order.orders;

import io.polystore.events.CustomerDigest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one customer digest that every writer of history records and every reader of the replica uses. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CustomerDigestProperties.class)
class CustomerDigestConfiguration {

    /** Checked at start-up: a missing, malformed or short key stops the service with the property's name. */
    @Bean
    CustomerDigest customerDigest(CustomerDigestProperties properties) {
        return properties.digest();
    }
}
