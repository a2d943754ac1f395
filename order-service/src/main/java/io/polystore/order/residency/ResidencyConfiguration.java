package io.polystore.order.residency;

import io.polystore.order.residency.internal.HomeRegionApiDocs;
import io.polystore.order.residency.internal.HomeRegionInterceptor;
import io.polystore.servicedefaults.problem.ProblemMappings;
import io.polystore.servicedefaults.region.RegionProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Data residency: the {@link HomeRegionRule} on every {@link HomeRegionOnly} endpoint, its 421 and its API docs. */
@Configuration(proxyBeanMethods = false)
class ResidencyConfiguration {

    @Bean
    HomeRegionRule homeRegionRule(RegionProperties region) {
        return new HomeRegionRule(region.name());
    }

    @Bean
    WebMvcConfigurer homeRegionInterceptor(HomeRegionRule rule) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry registry) {
                registry.addInterceptor(new HomeRegionInterceptor(rule));
            }
        };
    }

    @Bean
    ProblemMappings residencyProblemMappings() {
        return ProblemMappings.builder()
                .status(CustomerHomedElsewhereException.class, HttpStatus.MISDIRECTED_REQUEST, (elsewhere, problem) -> {
                    problem.setType(CustomerHomedElsewhereException.TYPE);
                    problem.setProperty("homeRegion", elsewhere.homeRegion());
                    problem.setProperty("region", elsewhere.region());
                })
                .build();
    }

    @Bean
    HomeRegionApiDocs homeRegionApiDocs() {
        return new HomeRegionApiDocs();
    }
}
