package io.polystore.sync.reconciliation;

import io.polystore.servicedefaults.problem.ProblemMappings;
import io.polystore.surrealdb.SurrealException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;

/** The reconciliation API's exceptions and the status each answers; the platform's handler writes the problems. */
@Configuration(proxyBeanMethods = false)
class ReconciliationProblems {

    /** A store that could not be read or written: nothing was stored, and trying again later may succeed. */
    private static final String STORE_UNAVAILABLE = "A database could not be read; the reconciliation did not run. Try again later.";

    @Bean
    ProblemMappings reconciliationProblemMappings() {
        return ProblemMappings.builder()
                .status(RunNotFoundException.class, HttpStatus.NOT_FOUND)
                .status(DataAccessException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .status(SurrealException.class, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE)
                .build();
    }
}
