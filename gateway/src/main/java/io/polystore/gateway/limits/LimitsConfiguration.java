package io.polystore.gateway.limits;

import io.micrometer.core.instrument.MeterRegistry;
import io.polystore.gateway.limits.internal.BucketTable;
import io.polystore.gateway.limits.internal.ProblemCorsProcessor;
import io.polystore.gateway.limits.internal.RateLimitFilter;
import io.polystore.gateway.limits.internal.RateLimiter;
import io.polystore.servicedefaults.problem.ProblemResponses;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class LimitsConfiguration {

    @Bean
    GatewayLimits gatewayLimits(LimitsProperties limits, JdbcClient jdbc, ProblemResponses problems, MeterRegistry meters) {
        CorsFilter cors = new CorsFilter(corsConfigurationSource(limits.cors()));
        cors.setCorsProcessor(new ProblemCorsProcessor(problems));
        BucketTable buckets = new BucketTable(jdbc, meters);
        return new GatewayLimits(limits, cors, new RateLimitFilter(limits, buckets, problems, meters),
                new RateLimiter(buckets, "registration", limits.registrations(), Clock.systemUTC()), meters);
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
