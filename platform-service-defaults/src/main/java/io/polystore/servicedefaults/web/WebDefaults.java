package io.polystore.servicedefaults.web;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.servicedefaults.problem.ProblemResponses;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The request limits, applied to every request of every service, the gateway included. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
public class WebDefaults {

    /** First of all but the request's observation, so that a refusal costs next to nothing and is still measured. */
    @Bean
    FilterRegistrationBean<ConcurrentRequestLimitFilter> concurrentRequestLimitFilter(WebProperties web,
                                                                                       ProblemResponses problems,
                                                                                       MeterRegistry meters) {
        var registration = new FilterRegistrationBean<>(new ConcurrentRequestLimitFilter(web.maxConcurrentRequests(),
                problems, meters));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 5);
        return registration;
    }

    /** Before Spring Security: a body declared too large is refused before any token is even looked at. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties web, ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(web.maxRequestBody().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
