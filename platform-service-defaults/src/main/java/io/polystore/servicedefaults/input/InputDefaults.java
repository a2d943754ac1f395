package io.polystore.servicedefaults.input;

import io.polystore.servicedefaults.problem.ProblemResponses;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every service, the gateway included, refuses at its door, each as a 400 problem naming the input: JSON with
 * duplicate keys (which key would win is up to each parser, so one JSON document could mean two things), a fraction
 * where a whole number is expected (Jackson would truncate {@code 1.5} to 1), an empty or blank string where a
 * number, flag, list or object is expected, text that breaks {@link TextRules}, headers with control characters,
 * wildcard or unparsable content types; and Tomcat's own refusals answered as problem details too.
 */
@Configuration(proxyBeanMethods = false)
public class InputDefaults {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // "" or "  " (or control characters, which Jackson trims away) is no number, flag or list: Jackson
                // would take it as null, and a default (an active product) in its place.
                .withCoercionConfigDefaults(config -> config.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                        .setAcceptBlankAsEmpty(false))
                .addModule(new StrictJsonModule());
    }

    /** First of all filters: bad headers or query parameters are refused before security or the body limit reads anything. */
    @Bean
    FilterRegistrationBean<RequestTextFilter> requestTextFilter(ProblemResponses problems) {
        var registration = new FilterRegistrationBean<>(new RequestTextFilter(problems));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Spring Security's default firewall, with {@link RequestTextFilter}'s quicker checks of the same rules. */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(RequestTextFilter::allowedInHeaderName);
        firewall.setAllowedHeaderValues(RequestTextFilter::allowedInHeaderValue);
        firewall.setAllowedParameterNames(RequestTextFilter::allowedInHeaderName);
        return firewall;
    }

    @Bean
    ProblemErrorReports problemErrorReports(JsonMapper json) {
        return new ProblemErrorReports(json);
    }

    /**
     * Replaces Tomcat's error report valve (and the one Boot adds to hide the server's version) with one writing
     * problem details. Ordered after Boot's own customizers, so that their valve is there to be replaced.
     */
    static final class ProblemErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

        private final JsonMapper json;

        ProblemErrorReports(JsonMapper json) {
            this.json = json;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    for (Valve valve : host.getPipeline().getValves()) {
                        if (valve instanceof ErrorReportValve) {
                            host.getPipeline().removeValve(valve);
                        }
                    }
                    host.getPipeline().addValve(new ProblemErrorReportValve(json));
                    // At start the host adds a valve of this class unless one is there: ours is.
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
