package io.polystore.servicedefaults;

import io.polystore.servicedefaults.input.InputDefaults;
import io.polystore.servicedefaults.messaging.MessagingDefaults;
import io.polystore.servicedefaults.observability.ObservabilityDefaults;
import io.polystore.servicedefaults.openapi.OpenApiDefaults;
import io.polystore.servicedefaults.problem.ProblemDetailsExceptionHandler;
import io.polystore.servicedefaults.problem.ProblemResponses;
import io.polystore.servicedefaults.region.RegionDefaults;
import io.polystore.servicedefaults.security.ResourceServerSecurity;
import io.polystore.servicedefaults.startup.StoreReachabilityVerifiers;
import io.polystore.servicedefaults.tls.TlsDefaults;
import io.polystore.servicedefaults.web.WebDefaults;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every Polystore service gets by depending on {@code platform-service-defaults}: JWT resource-server security
 * with method security, RFC 9457 problem details (Tomcat's own refusals too), strict JSON and header rules, the
 * request body limit, OpenAPI with a bearer scheme, fail-fast store checks, Kafka with the platform's topics, event
 * binding and dead-letter topics, the tracing of events through the outboxes with health as a metric, and TLS from
 * one SSL bundle ({@code polystore.tls.bundle}), and the region's name on every response ({@code polystore.region.name}).
 * Plain settings (virtual threads, graceful shutdown, probes, Prometheus) come from {@code polystore-defaults.properties}.
 */
// Before Boot's MVC set-up, so that its own problem-details handler backs off in favour of ours.
@AutoConfiguration(before = WebMvcAutoConfiguration.class)
@Import({ResourceServerSecurity.class, ProblemDetailsExceptionHandler.class, OpenApiDefaults.class,
        StoreReachabilityVerifiers.class, MessagingDefaults.class, WebDefaults.class, ObservabilityDefaults.class,
        InputDefaults.class, TlsDefaults.class, RegionDefaults.class})
public class PolystoreServiceAutoConfiguration {

    @Bean
    ProblemResponses problemResponses(JsonMapper jsonMapper) {
        return new ProblemResponses(jsonMapper);
    }
}
