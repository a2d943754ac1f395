package io.polystore.gateway.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.ProblemResponses;
import io.polystore.gateway.limits.internal.ProblemCorsProcessor;
import io.polystore.gateway.limits.internal.RateLimitFilter;
import io.polystore.gateway.limits.internal.RequestSizeLimitFilter;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    @Bean
    ProblemResponses problemResponses(JsonMapper jsonMapper) {
        return new ProblemResponses(jsonMapper);
    }

    /** Runs before Spring Security, so an oversized body is refused before any token is even looked at. */
    @Bean
    FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter(LimitsProperties limits, ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(
                new RequestSizeLimitFilter(limits.maxRequestBody().toBytes(), problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Bean
    GatewayLimits gatewayLimits(LimitsProperties limits, ProblemResponses problems, MeterRegistry meters) {
        CorsFilter cors = new CorsFilter(corsConfigurationSource(limits.cors()));
        cors.setCorsProcessor(new ProblemCorsProcessor(problems));
        return new GatewayLimits(limits, cors, new RateLimitFilter(limits, problems, meters), meters);
    }

    private static CorsConfigurationSource corsConfigurationSource(LimitsProperties.Cors cors) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!cors.allowedOrigins().isEmpty()) {
            CorsConfiguration configuration = new CorsConfiguration();
            configuration.setAllowedOrigins(cors.allowedOrigins());
            configuration.setAllowedMethods(cors.allowedMethods());
            configuration.setAllowedHeaders(cors.allowedHeaders());
            configuration.setExposedHeaders(cors.exposedHeaders());
            configuration.setMaxAge(cors.maxAge());
            // Bearer tokens, not cookies: browsers need not send credentials cross-origin.
            configuration.setAllowCredentials(false);
            source.registerCorsConfiguration("/**", configuration);
        }
        return source;
    }
}
