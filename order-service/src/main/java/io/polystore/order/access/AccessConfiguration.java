package io.polystore.order.access;

import io.polystore.servicedefaults.problem.ProblemMappings;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
class AccessConfiguration {

    @Bean
    ProblemMappings accessProblemMappings() {
        return ProblemMappings.builder()
                .status(AuditTrailUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE,
                        "The audit trail cannot be read now, so no export was made; try again later.")
                .build();
    }
}
