package io.polystore.gateway.routing;

import org.springframework.cloud.gateway.server.mvc.filter.FilterSupplier;
import org.springframework.cloud.gateway.server.mvc.filter.SimpleFilterSupplier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RoutingConfiguration {

    /** Makes {@link GatewayFilters} usable by name in the configured routes. */
    @Bean
    FilterSupplier polystoreGatewayFilters() {
        return new SimpleFilterSupplier(GatewayFilters.class);
    }
}
