package io.polystore.order.replica;

import io.polystore.servicedefaults.problem.ProblemMappings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/** The replica API's exceptions and the status each answers. */
@Configuration(proxyBeanMethods = false)
class ReplicaProblems {

    @Bean
    ProblemMappings replicaProblemMappings() {
        return ProblemMappings.builder().status(ReplicaOrderNotFoundException.class, HttpStatus.NOT_FOUND).build();
    }
}
