package io.polystore.order.placement;

import io.polystore.order.orders.OrderStateConflictException;
import io.polystore.servicedefaults.problem.ProblemMappings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/** The order API's exceptions and the status each answers; the platform's handler writes the problem details. */
@Configuration(proxyBeanMethods = false)
class OrderProblems {

    @Bean
    ProblemMappings orderProblemMappings() {
        return ProblemMappings.builder()
                .status(OrderNotFoundException.class, HttpStatus.NOT_FOUND)
                .status(IdempotencyKeyReusedException.class, HttpStatus.UNPROCESSABLE_CONTENT)
                .status(OrderStateConflictException.class, HttpStatus.CONFLICT,
                        (conflict, problem) -> problem.setProperty("orderStatus", conflict.status()))
                .build();
    }
}
