package io.polystore.servicedefaults.region;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The region every service runs in, and its name on every response. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegionProperties.class)
public class RegionDefaults {

    /** First of all, so that even a refusal of the request limits says which region refused. */
    @Bean
    FilterRegistrationBean<RegionHeaderFilter> regionHeaderFilter(RegionProperties region) {
        var registration = new FilterRegistrationBean<>(new RegionHeaderFilter(region.name()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
