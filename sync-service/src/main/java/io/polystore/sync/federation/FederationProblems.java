package io.polystore.sync.federation;

import io.polystore.servicedefaults.problem.ProblemMappings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The federation's exceptions and the status each answers; the platform's handler writes the problems. A refused
 * query is the platform's {@code InvalidInputException} (400, naming {@code sql}).
 */
@Configuration(proxyBeanMethods = false)
class FederationProblems {

    @Bean
    ProblemMappings federationProblemMappings() {
        return ProblemMappings.builder()
                // The query was valid but asked too much: narrowing it helps, trying again does not.
                .status(QueryLimitException.class, HttpStatus.UNPROCESSABLE_CONTENT, (limit, problem) -> {
                    problem.setTitle(limit.limit() == QueryLimitException.Limit.ROW_CAP ? "Row cap exceeded" : "Time limit exceeded");
                    problem.setProperty("limit", limit.limit().name());
                })
                .status(FederationUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE,
                        "A store could not be read; nothing was changed. Try again later.")
                .build();
    }
}
