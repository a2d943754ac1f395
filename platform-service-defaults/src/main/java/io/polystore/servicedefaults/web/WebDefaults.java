package io.polystore.servicedefaults.web;

import io.polystore.servicedefaults.problem.ProblemResponses;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The request body limit, applied to every request of every service, the gateway included. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebProperties.class)
public class WebDefaults {

    /** Before Spring Security: a body declared too large is refused before any token is even looked at. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(WebProperties web, ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new RequestBodyLimitFilter(web.maxRequestBody().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }
}
