package io.polystore.catalog;

import io.polystore.catalog.internal.CatalogWrittenElsewhereException;
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

import java.net.URI;
import java.time.Clock;

/**
 * The service's own settings, its clock, its scheduled work (the reservation sweep) and its problem facts, among them
 * the refusal of catalog changes in a region that holds a replica (409, type {@link #CATALOG_WRITTEN_ELSEWHERE}, with
 * the member {@code catalogRegion}).
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogServiceConfiguration {

    /** SurrealDB did not answer (or refused the service's credentials): the request may succeed later. */
    /** The problem type of a catalog change refused in a region that holds a replica; not a page to fetch. */
    static final URI CATALOG_WRITTEN_ELSEWHERE = URI.create("urn:polystore:problem:catalog-written-elsewhere");

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
                .status(CatalogWrittenElsewhereException.class, HttpStatus.CONFLICT, (refusal, problem) -> {
                    problem.setType(CATALOG_WRITTEN_ELSEWHERE);
                    problem.setTitle("Catalog written in another region");
                    problem.setProperty("catalogRegion", refusal.catalogRegion());
                })
                .status(SurrealTransportException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .status(SurrealAuthenticationException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .build();
    }
}
