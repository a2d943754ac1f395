package io.polystore.catalog;

import io.polystore.catalog.internal.ConflictException;
import io.polystore.catalog.internal.NotFoundException;
import io.polystore.servicedefaults.problem.ProblemMappings;
import io.polystore.surrealdb.SurrealAuthenticationException;
import io.polystore.surrealdb.SurrealTransportException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.EnableScheduling;

import java.time.Clock;

/** The service's own settings, its clock, its scheduled work (the reservation sweep) and its problem facts. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogServiceConfiguration {

    /** SurrealDB did not answer (or refused the service's credentials): the request may succeed later. */
    private static final String STORE_UNAVAILABLE = "The catalog's database is unavailable; try again shortly.";

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ProblemMappings catalogProblemMappings() {
        return ProblemMappings.builder()
                .status(NotFoundException.class, HttpStatus.NOT_FOUND)
                .status(ConflictException.class, HttpStatus.CONFLICT)
                .status(SurrealTransportException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .status(SurrealAuthenticationException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .build();
    }
}
